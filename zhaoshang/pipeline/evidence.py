"""Checks an uploaded evidence file by its content (magic bytes), never by its name."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SIZE = 20 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The main part an OOXML package declares in [Content_Types].xml.
OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}


def _ooxml_type(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            with archive.open("[Content_Types].xml") as part:
                types = part.read(200_000).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    for content_type, main in OOXML_MAIN.items():
        if main in types:
            return content_type
    return None


def sniff(upload):
    """The content type of the upload (one of the allowed ones), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        found = _ooxml_type(upload)
        upload.seek(0)
        return found
    return None


def check_upload(upload):
    """Return the content type of an acceptable upload; raise ValidationError otherwise."""
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("The file is %(size).1f MB; at most 20 MB is allowed.")
            % {"size": upload.size / 1024 / 1024}
        )
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "Only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are allowed; "
                "the content of this file is none of them."
            )
        )
    return content_type

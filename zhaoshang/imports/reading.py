"""Reading an uploaded ledger file safely: recognise its format by content, refuse what is
dangerous (executables, macros, zip and XML bombs, oversized files), and return its sheets
as lists of rows of Python values.

.xlsx, .xls and .ods are read by python-calamine (formulas come as their cached values);
.csv by the csv module after detecting UTF-8, UTF-16 or GB18030 (a superset of GBK).
Every refusal is an ImportFileError with a Chinese message for the user.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EXECUTABLE_MAGICS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!")
OTHER_BINARY = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
    b"\x1f\x8b": "gzip",
}
# In an OLE2 (.xls) file the directory names are UTF-16: a VBA project stream means macros.
OLE2_VBA = "_VBA_PROJECT".encode("utf-16-le")
DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
MACRO_CONTENT_TYPES = (b"macroEnabled", b"vbaProject")


def limit(name, default):
    return getattr(settings, name, default)


def max_bytes():
    return limit("IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def max_rows():
    return limit("IMPORT_MAX_ROWS", 200_000)


def max_unpacked_bytes():
    return limit("IMPORT_MAX_UNPACKED_BYTES", 400 * 1024 * 1024)


def max_ratio():
    return limit("IMPORT_MAX_COMPRESSION_RATIO", 200)


class ImportFileError(ValueError):
    """The file is refused; the message is shown to the user as it is."""


@dataclass
class Sheet:
    name: str
    rows: list


def sniff(head):
    """The format of a file from its first bytes (and, for zips, its members), or raise."""
    if head.startswith(OLE2_MAGIC):
        return XLS
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if any(head.startswith(magic) for magic in EXECUTABLE_MAGICS):
        raise ImportFileError(_("This file is a program, not a spreadsheet; it was refused."))
    for magic, kind in OTHER_BINARY.items():
        if head.startswith(magic):
            raise ImportFileError(
                _("This file is a %(kind)s file, not a spreadsheet.") % {"kind": kind}
            )
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(_("The file's format is not recognised."))
    return CSV


def _check_zip(path):
    """xlsx or ods, after checking the zip's declared sizes, compression ratios, XML parts
    (no DOCTYPE or ENTITY) and the absence of macros. The declared sizes are verified while
    scanning: a member that unpacks to more than it declares fails its CRC check."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > 5000:
            raise ImportFileError(_("The file holds too many parts to be a spreadsheet."))
        names = {info.filename for info in infos}
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > max_unpacked_bytes() or (info.file_size > 1_000_000 and ratio > max_ratio()):
                raise ImportFileError(
                    _(
                        "The file unpacks to far more data than a spreadsheet holds "
                        "(a “zip bomb”); it was refused."
                    )
                )
        if any(name.lower().endswith("vbaproject.bin") for name in names) or any(
            name.startswith(("Basic/", "Scripts/")) for name in names
        ):
            raise ImportFileError(
                _("The file contains macros (VBA); save it as .xlsx without macros and retry.")
            )
        if "[Content_Types].xml" in names:
            kind = XLSX
            types = archive.read("[Content_Types].xml")
            if any(word in types for word in MACRO_CONTENT_TYPES):
                raise ImportFileError(
                    _("The file contains macros (VBA); save it as .xlsx without macros and retry.")
                )
            if "xl/workbook.xml" not in names:
                raise ImportFileError(_("This is an Office file but not a spreadsheet."))
        elif "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
            kind = ODS
        else:
            raise ImportFileError(_("The file's format is not recognised."))
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                _scan_xml(archive, info)
    return kind


def _scan_xml(archive, info):
    """Read one XML part in chunks: refuse DOCTYPE/ENTITY declarations; the read itself
    checks that the part unpacks to no more than it declares."""
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                if DOCTYPE.search(tail + chunk[:64]) or (b"<!" in chunk and DOCTYPE.search(chunk)):
                    raise ImportFileError(
                        _("The file declares XML entities (an “XML bomb” risk); it was refused.")
                    )
                tail = chunk[-16:]
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc


def detect_format(path):
    """Check the file at `path` and return its format (xlsx, xls, ods, csv), or raise."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{max_bytes() / 1048576:.0f}"}
        )
    kind = sniff(head)
    if kind == "zip":
        return _check_zip(path)
    if kind == XLS:
        with open(path, "rb") as handle:
            if OLE2_VBA in handle.read():
                raise ImportFileError(
                    _("The file contains macros (VBA); save it as .xlsx without macros and retry.")
                )
    return kind


def decode_text(data):
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The text file is neither UTF-8 nor GBK/GB18030; save it as UTF-8 and retry.")
        ) from exc


def _read_csv(path):
    with open(path, "rb") as handle:
        text = decode_text(handle.read())
    sample = text[:8192]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = []
    cap = max_rows() + 50
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append(row)
        if len(rows) > cap:
            break
    return [Sheet("", rows)]


def _read_workbook(path):
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc
    sheets = []
    cap = max_rows() + 50
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=cap + 1)
            if any(any(cell != "" for cell in row) for row in rows[:200]):
                sheets.append(Sheet(meta.name, rows))
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_("The file is damaged and cannot be opened.")) from exc
    finally:
        workbook.close()
    return sheets


def read_sheets(path, kind=None):
    """[Sheet] of the file's non-empty visible sheets; checks the file first."""
    kind = kind or detect_format(path)
    sheets = _read_csv(path) if kind == CSV else _read_workbook(path)
    if not sheets:
        raise ImportFileError(_("The file holds no data."))
    total = sum(len(sheet.rows) for sheet in sheets)
    if total > max_rows() + 50 * len(sheets):
        raise ImportFileError(
            _("The file has more than %(limit)s rows; split it into smaller files.")
            % {"limit": f"{max_rows():,}"}
        )
    return sheets

"""Renderers of a computed report document to .docx and .xlsx (the HTML is a template).

The .docx follows the layout of Chinese official documents (GB/T 9704): A4, margins of
37/35/28/26 mm, the title in 方正小标宋简体 二号 (22 pt), body text in 仿宋_GB2312 三号
(16 pt) with a two-character first-line indent, section headings in 黑体, tables in
仿宋_GB2312 五号. Fonts are named for East-Asian text (w:eastAsia), so Word uses them for
Chinese even where the Latin font differs.
"""

import copy
import io
import math
import urllib.request
from decimal import Decimal, InvalidOperation

from zhaoshang.reports.base import sentence_text, text_of

TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
LATIN_FONT = "Times New Roman"


# .docx ----------------------------------------------------------------------------------------


def _font(run, name, size, bold=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    return run


def _paragraph(doc, text, font=BODY_FONT, size=16, align=None, indent=True, bold=False):
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28)
    p.paragraph_format.space_after = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def _page_setup(doc):
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _font_style(normal, BODY_FONT, 16)


def _font_style(style, name, size):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _repeat_header(row):
    """The header row repeats at the top of every page a long table runs over."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _page_numbers(doc):
    """— 1 — centred in the footer, as official documents number their pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), BODY_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = p.add_run("1")
    field.append(run._r)
    p._p.append(field)
    _font(run, BODY_FONT, 14)
    _font(p.add_run(" —"), BODY_FONT, 14)


def _column_widths(block, text_width_mm=156):
    """Widths of a table's columns on the A4 text width, by the longest text in each
    (a rank column narrow, a project name wide), between 2 and 20 characters."""
    from docx.shared import Mm

    weights = []
    for i, name in enumerate(block["columns"]):
        longest = max([len(name), *(len(text_of(r[i])) for r in block["rows"][:500] if i < len(r))])
        weights.append(min(max(longest, 2), 20))
    total = sum(weights)
    return [Mm(text_width_mm * w / total) for w in weights]


def _table(doc, block):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    from docx.table import _Cell

    columns = block["columns"]
    t = doc.add_table(rows=1, cols=len(columns))
    t.style = "Table Grid"
    t.autofit = False
    widths = _column_widths(block)
    for column, width in zip(t.columns, widths, strict=True):
        column.width = width
    _repeat_header(t.rows[0])
    for i, name in enumerate(columns):
        cell = t.rows[0].cells[i]
        cell.width = widths[i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(name), HEADING_FONT, 10.5)
    numeric = block.get("numeric") or []
    # One formatted row made through python-docx, then copied for every row: its cell API
    # costs about a millisecond a cell, which makes a table of 2,000 rows take 25 seconds.
    template = t.add_row()._tr
    for i, tc in enumerate(template.tc_lst):
        cell = _Cell(tc, t)
        cell.width = widths[i]
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        if i < len(numeric) and numeric[i]:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run("x"), BODY_FONT, 10.5)
    t._tbl.remove(template)
    for row in block["rows"]:
        tr = copy.deepcopy(template)
        for tc, value in zip(tr.tc_lst, row, strict=False):
            tc.xpath(".//w:t")[0].text = text_of(value)
        t._tbl.append(tr)
    doc.add_paragraph()


def to_docx(document, map_image=None):
    """The document as .docx bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    _page_setup(doc)
    _page_numbers(doc)
    doc.core_properties.title = document["title"]
    if document.get("notice") and document.get("doc_number"):
        _paragraph(doc, document["doc_number"], align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(
        doc, document["title"], TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    if not document.get("notice"):
        _paragraph(
            doc,
            document.get("subtitle", ""),
            BODY_FONT,
            14,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )
    doc.add_paragraph()
    for block in document["blocks"]:
        if block["kind"] == "heading":
            _paragraph(doc, block["text"], HEADING_FONT, 16)
        elif block["kind"] == "paragraph":
            text = "".join(sentence_text(s) for s in block["sentences"])
            addressee = text.endswith("：") and len(block["sentences"]) == 1
            _paragraph(doc, text, indent=not addressee)
        elif block["kind"] == "table":
            _table(doc, block)
    if map_image:
        doc.add_picture(io.BytesIO(map_image), width=Mm(150))
    if document.get("notice"):
        doc.add_paragraph()
        for line in (document.get("issuer", ""), document.get("date", "")):
            _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# .xlsx ----------------------------------------------------------------------------------------


def _number(cell):
    """The exact value of a numeric cell, or None."""
    if isinstance(cell, dict) and cell.get("value") not in (None, ""):
        try:
            value = Decimal(cell["value"])
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    return None


def to_xlsx(document):
    """The document as .xlsx bytes: the text, then every table with numbers as numbers."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("报表")
    title = book.add_format({"bold": True, "font_size": 16, "font_name": "宋体"})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#EEF2F7", "font_name": "宋体"})
    cell_fmt = book.add_format({"border": 1, "font_name": "宋体"})
    # "General": 3 shows as 3 and 15.95 as 15.95 (a "0.##" format leaves "3." in Excel).
    num_fmt = book.add_format({"border": 1, "font_name": "宋体"})
    pct_fmt = book.add_format({"border": 1, "font_name": "宋体", "num_format": "0.00%"})
    text_fmt = book.add_format({"text_wrap": True, "valign": "top", "font_name": "宋体"})
    widths = {}
    row = 0
    if document.get("notice") and document.get("doc_number"):
        sheet.write(row, 0, document["doc_number"])
        row += 1
    sheet.write(row, 0, document["title"], title)
    row += 1
    sheet.write(row, 0, document.get("subtitle", ""))
    row += 2
    for block in document["blocks"]:
        if block["kind"] == "heading":
            sheet.write(row, 0, block["text"], head)
            row += 1
        elif block["kind"] == "paragraph":
            for sentence in block["sentences"]:
                sheet.write(row, 0, sentence_text(sentence), text_fmt)
                row += 1
        elif block["kind"] == "table":
            sheet.write(row, 0, block["title"], head)
            row += 1
            for col, name in enumerate(block["columns"]):
                sheet.write(row, col, name, head)
                widths[col] = max(widths.get(col, 8), len(name) * 2 + 2)
            row += 1
            numeric = block.get("numeric") or []
            for values in block["rows"]:
                for col, value in enumerate(values):
                    number = _number(value) if col < len(numeric) and numeric[col] else None
                    if number is not None and text_of(value).endswith("%"):
                        # A percentage as Excel keeps one: 159.5% is 1.595 shown as %.
                        sheet.write_number(row, col, float(number) / 100, pct_fmt)
                    elif number is not None:
                        sheet.write_number(row, col, float(number), num_fmt)
                    else:
                        sheet.write_string(row, col, text_of(value), cell_fmt)
                    widths[col] = min(max(widths.get(col, 8), len(text_of(value)) * 2 + 2), 40)
                row += 1
            row += 1
    for col, width in widths.items():
        sheet.set_column(col, col, width)
    sheet.set_column(0, 0, max(widths.get(0, 8), 24))
    if document.get("notice"):
        sheet.write(row + 1, 0, document.get("issuer", ""))
        sheet.write(row + 2, 0, document.get("date", ""))
    book.close()
    return out.getvalue()


# Map image of the catalogue -----------------------------------------------------------------


def tile_image(points, tile_url, zoom=13, timeout=5):
    """One map tile around the carriers' centre from the configured tile server, or None.

    `tile_url` is the Leaflet template ({z}/{x}/{y}, optional {s}); any failure of the tile
    server leaves the catalogue without a map rather than failing the report."""
    if not tile_url or not points:
        return None
    lon = sum(p[0] for p in points) / len(points)
    lat = sum(p[1] for p in points) / len(points)
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    url = tile_url.replace("{s}", "a").replace("{z}", str(zoom))
    url = url.replace("{x}", str(x)).replace("{y}", str(y))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            data = response.read()
    except (OSError, ValueError):
        return None
    return data if data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1") else None

"""Downloadable .xlsx templates: one header row per record type, in the words and units
the import reads, with required columns marked and a note row explaining the formats."""

import io

import xlsxwriter
from django.http import HttpResponse
from django.utils.translation import gettext as _


def header_text(column):
    text = column.synonyms[0] if column.synonyms else column.name
    if column.kind == "quantity" and column.unit:
        text = f"{text}（{column.unit}）"
    return text


def template_bytes(record_type):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(str(record_type.verbose_name)[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE8E6", "border": 1})
    note = workbook.add_format({"italic": True, "font_color": "#666666"})
    for index, column in enumerate(record_type.columns):
        sheet.write(0, index, header_text(column), required if column.required else bold)
        sheet.set_column(index, index, max(12, len(header_text(column)) * 2.2))
    sheet.write(
        1,
        0,
        _(
            "Note: red headers are required. Amounts may be written as “3.5亿” or "
            "“3,500万”, or as numbers in the header's unit; dates as 2024-03-08, 2024.3.8 or "
            "2024年3月8日. This row is skipped on import and may be deleted."
        ),
        note,
    )
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def template_response(record_type):
    response = HttpResponse(
        template_bytes(record_type),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"{record_type.code}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

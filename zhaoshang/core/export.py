"""Excel export of a ledger: exactly the filtered, sorted rows and the shown columns.

The rows are read with `values_list(...).iterator(chunk_size=2000)` from the same scoped,
filtered, sorted queryset as the list page (never through django-tables2's per-cell
rendering), written by xlsxwriter in constant-memory mode to a temporary file, and the file
is streamed back. Memory stays bounded by one chunk of rows.

How a shown column is exported, first match wins:

1. `Meta.export_paths[name]` on the table: an ORM path ("unit__name") or an expression
   (`Count("units")`), fetched with the rows;
2. a `render_<name>` method on the table, or a column that renders its own cells
   (TemplateColumn, ManyToManyColumn), or an accessor that is not a plain field path: the
   cell as the page renders it, computed per chunk of records (slower; declare an export
   path to make it fast);
3. otherwise the column's accessor as an ORM path (a field, or a `__` path through
   foreign keys): the common case, automatic.

The cell is typed by the field: numbers as numbers (with a number format), dates as dates,
datetimes in the site's time zone (Asia/Shanghai), booleans as 是/否, choices as their
labels, foreign keys as their text. A table method `export_value_<name>(value, row, user)`
receives the raw value (the foreign key's id, the choice's code), a dict `row` of the raw
values of the row's columns (and "pk"), and the exporting user, and returns what the cell
shows: that is the hook for masking personal data. Every text cell starting with = + - @,
a tab or a carriage return is prefixed with ' so that Excel never runs it as a formula.
"""

import html
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

import xlsxwriter
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django_tables2 import DateColumn, DateTimeColumn, ManyToManyColumn, TemplateColumn
from django_tables2.rows import BoundRow

from zhaoshang.core.tables import orm_path, table_option

CHUNK_SIZE = 2000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Column classes that render their own cells (DateColumn and DateTimeColumn subclass
# TemplateColumn but show the field's value, so they are exported by path).
RENDERED_COLUMN_TYPES = (TemplateColumn, ManyToManyColumn)
PATH_COLUMN_TYPES = (DateColumn, DateTimeColumn)


def neutralise(text):
    """Text that Excel shows as typed: a leading formula trigger gets a ' before it."""
    if text and text[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


@dataclass
class ExportColumn:
    """How one shown column is fetched and written."""

    name: str
    header: str
    kind: str  # text, number, date, datetime, bool, choice, fk, auto, render
    path: object = None  # ORM path or alias in values_list; None for rendered columns
    decimal_places: int | None = None
    choices: dict = field(default_factory=dict)
    related_model: object = None
    related_field: str = "pk"
    hook: object = None
    index: int | None = None  # position in the values_list row


def _resolve(model, path):
    """The model field a lookup path ends at, or None if it is not a plain field path.

    A path may cross foreign keys and one-to-ones; a many-to-many or reverse relation would
    multiply the rows, so it is not plain.
    """
    parts = path.split("__")
    current = model
    for position, part in enumerate(parts):
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if found.many_to_many or found.one_to_many or not found.concrete:
            return None
        last = position == len(parts) - 1
        if found.is_relation:
            if found.related_model is None:
                return None
            if last:
                return found
            current = found.related_model
        elif not last:
            return None
    return found


def _column_for_field(name, header, path, model_field):
    column = ExportColumn(name=name, header=header, kind="text", path=path)
    if model_field.is_relation:
        column.kind = "fk"
        column.related_model = model_field.related_model
        column.related_field = model_field.target_field.name
    elif model_field.choices:
        column.kind = "choice"
        column.choices = {key: str(label) for key, label in model_field.flatchoices}
    elif isinstance(model_field, models.BooleanField):
        column.kind = "bool"
    elif isinstance(model_field, models.DecimalField):
        column.kind = "number"
        column.decimal_places = model_field.decimal_places
    elif isinstance(model_field, models.IntegerField | models.FloatField):
        column.kind = "number"
    elif isinstance(model_field, models.DateTimeField):
        column.kind = "datetime"
    elif isinstance(model_field, models.DateField):
        column.kind = "date"
    return column


def plan_columns(table):
    """(columns, annotations): how each shown, exportable column of `table` is exported."""
    model = table.data.model
    declared = table_option(type(table), "export_paths", {}) or {}
    excluded = set(getattr(table, "exclude_columns", ()) or ())
    columns, annotations = [], {}
    for bc in table.columns:
        if bc.column.exclude_from_export or bc.name in excluded:
            continue
        name = bc.name
        header = html.unescape(strip_tags(str(bc.header)))
        hook = getattr(table, f"export_value_{name}", None)
        if name in declared:
            target = declared[name]
            if isinstance(target, str):
                model_field = _resolve(model, target) if model is not None else None
                if model_field is not None:
                    column = _column_for_field(name, header, target, model_field)
                else:
                    column = ExportColumn(name=name, header=header, kind="auto", path=target)
            else:
                alias = f"zs_export_{name}"
                annotations[alias] = target
                try:
                    output = target.output_field
                except (AttributeError, FieldError):
                    output = None  # resolved only against the query: typed by value
                if output is not None and not output.is_relation:
                    column = _column_for_field(name, header, alias, output)
                else:
                    column = ExportColumn(name=name, header=header, kind="auto", path=alias)
        else:
            path = orm_path(bc.accessor)
            model_field = _resolve(model, path) if model is not None else None
            renders = hasattr(table, f"render_{name}") or (
                isinstance(bc.column, RENDERED_COLUMN_TYPES)
                and not isinstance(bc.column, PATH_COLUMN_TYPES)
            )
            if model_field is None or renders:
                column = ExportColumn(name=name, header=header, kind="render")
            else:
                column = _column_for_field(name, header, path, model_field)
        column.hook = hook
        columns.append(column)
    return columns, annotations


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Writer:
    """Typed cell writers over one constant-memory worksheet."""

    def __init__(self, workbook, worksheet):
        self.ws = worksheet
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.date_format = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime_format = workbook.add_format({"num_format": DATETIME_FORMAT})
        self._number_formats = {None: None}
        self._workbook = workbook
        self.yes, self.no = gettext("Yes"), gettext("No")

    def number_format(self, places):
        if places not in self._number_formats:
            pattern = "#,##0" + ("." + "0" * places if places else "")
            self._number_formats[places] = self._workbook.add_format({"num_format": pattern})
        return self._number_formats[places]

    def local(self, value):
        if timezone.is_aware(value):
            value = value.astimezone(self.tz).replace(tzinfo=None)
        return value

    def for_column(self, column):
        """A function (row, col, value) writing a non-None value of this column."""
        ws = self.ws
        write_string, write_number = ws.write_string, ws.write_number
        if column.kind == "number":
            fmt = self.number_format(column.decimal_places)
            return lambda r, c, v: write_number(r, c, float(v), fmt)
        if column.kind == "date":
            fmt = self.date_format
            return lambda r, c, v: ws.write_datetime(r, c, v, fmt)
        if column.kind == "datetime":
            fmt, local = self.datetime_format, self.local
            return lambda r, c, v: ws.write_datetime(r, c, local(v), fmt)
        if column.kind == "bool":
            yes, no = self.yes, self.no
            return lambda r, c, v: write_string(r, c, yes if v else no)
        if column.kind == "choice":
            labels = column.choices
            return lambda r, c, v: write_string(r, c, neutralise(str(labels.get(v, v))))
        if column.kind == "text":
            return lambda r, c, v: write_string(r, c, neutralise(str(v)))
        return self.auto

    def auto(self, r, c, value):
        """Write a value of any type (a hook's result, an expression, a rendered cell)."""
        if value is None or value == "":
            return
        if isinstance(value, bool):
            self.ws.write_string(r, c, self.yes if value else self.no)
        elif isinstance(value, int | float | Decimal):
            places = None
            if isinstance(value, Decimal) and value.as_tuple().exponent < 0:
                places = -value.as_tuple().exponent
            self.ws.write_number(r, c, float(value), self.number_format(places))
        elif isinstance(value, datetime):
            self.ws.write_datetime(r, c, self.local(value), self.datetime_format)
        elif isinstance(value, date):
            self.ws.write_datetime(r, c, value, self.date_format)
        else:
            text = html.unescape(strip_tags(str(value))) if "<" in str(value) else str(value)
            self.ws.write_string(r, c, neutralise(text))


def _rendered_cells(table, queryset, pks, names):
    """{pk: {name: cell as the page renders it}} for the records of one chunk."""
    records = queryset.filter(pk__in=pks)
    cells = {}
    for record in records:
        row = BoundRow(record, table=table)
        cells[record.pk] = {name: row.get_cell_value(name) for name in names}
    return cells


def _fk_labels(column, values):
    """{key: text} of the related records a chunk refers to, in one query."""
    keys = {v for v in values if v is not None}
    if not keys:
        return {}
    manager = column.related_model._base_manager
    found = manager.in_bulk(keys, field_name=column.related_field)
    return {key: str(obj) for key, obj in found.items()}


def write_workbook(target, table, queryset, user, *, title=""):
    """Write the shown columns of `table` for every row of `queryset` to `target`.

    `target` is a path or a binary file object; `queryset` is the filtered, sorted
    queryset (for a ledger page: the table's own data after ordering). Returns the number
    of data rows written.
    """
    columns, annotations = plan_columns(table)
    base = queryset.prefetch_related(None)
    if annotations:
        base = base.annotate(**annotations)
    paths = ["pk"]
    for column in columns:
        if column.path is not None:
            column.index = len(paths)
            paths.append(column.path)
    rendered_names = [c.name for c in columns if c.kind == "render"]
    fk_columns = [c for c in columns if c.kind == "fk"]
    hooked = any(c.hook for c in columns)

    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "tmpdir": tempfile.gettempdir(),
        },
    )
    sheet_name = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31] or "Sheet1"
    worksheet = workbook.add_worksheet(sheet_name)
    writer = _Writer(workbook, worksheet)
    header_format = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    for c, column in enumerate(columns):
        width = max(10, min(40, 2 * len(column.header) + 2))
        worksheet.set_column(c, c, width)
        worksheet.write_string(0, c, neutralise(column.header), header_format)
    worksheet.freeze_panes(1, 0)
    plan = [(c, column, writer.for_column(column)) for c, column in enumerate(columns)]

    r = 0
    rows = base.values_list(*paths).iterator(chunk_size=CHUNK_SIZE)
    for chunk in _chunks(rows, CHUNK_SIZE):
        labels = {
            column.name: _fk_labels(column, [row[column.index] for row in chunk])
            for column in fk_columns
        }
        rendered = (
            _rendered_cells(table, queryset, [row[0] for row in chunk], rendered_names)
            if rendered_names
            else {}
        )
        for row in chunk:
            r += 1
            if hooked:
                raw = {"pk": row[0]}
                for column in columns:
                    if column.index is not None:
                        raw[column.name] = row[column.index]
            for c, column, write in plan:
                if column.kind == "render":
                    value = rendered.get(row[0], {}).get(column.name)
                else:
                    value = row[column.index]
                if column.hook is not None:
                    writer.auto(r, c, column.hook(value, raw, user))
                    continue
                if value is None:
                    continue
                if column.kind == "fk":
                    value = labels[column.name].get(value)
                    if value is None:
                        continue
                    worksheet.write_string(r, c, neutralise(value))
                else:
                    write(r, c, value)
    if columns:
        worksheet.autofilter(0, 0, max(r, 1), len(columns) - 1)
    workbook.close()
    return r


def rows_response(title, headers, rows, *, widths=None):
    """A workbook of one sheet: a bold header row, then `rows` (values of any type, written
    as their type: numbers as numbers, dates as dates, text neutralised)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        workbook = xlsxwriter.Workbook(
            handle, {"strings_to_formulas": False, "strings_to_urls": False}
        )
        sheet = workbook.add_worksheet(str(title)[:31])
        bold = workbook.add_format({"bold": True})
        writer = _Writer(workbook, sheet)
        for c, header in enumerate(headers):
            sheet.write_string(0, c, str(header), bold)
            sheet.set_column(c, c, (widths or {}).get(c, 12))
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                writer.auto(r, c, value)
        sheet.freeze_panes(1, 0)
        workbook.close()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename(title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_filename(stem, now=None):
    """`<stem>-YYYYMMDD-HHMM.xlsx` in the site's time zone."""
    now = timezone.localtime(now)
    return f"{stem}-{now:%Y%m%d-%H%M}.xlsx"


def xlsx_response(table, queryset, user, *, title):
    """A FileResponse streaming the workbook from a temporary file (deleted when closed)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        write_workbook(handle, table, queryset, user, title=title)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename(title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

"""The import engine: a file and a record type's declaration in, a plan out (rows to
create, to update, unchanged, every problem with its row and column); the plan written
in one transaction through a raw insert path; undo of a committed batch.

    engine = Engine(PROJECT, user)
    engine.read(path)                  # checks and reads the file, finds the header
    plan = engine.validate(columns)    # columns: the confirmed mapping
    if plan.ok: engine.commit(plan, batch)
"""

import datetime
import json
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.scope import ADD, CHANGE, units_for
from zhaoshang.imports import parsing
from zhaoshang.imports.header import detect_header, is_skipped, split_unit
from zhaoshang.imports.parsing import CellError
from zhaoshang.imports.reading import ImportFileError, read_sheets
from zhaoshang.imports.resolvers import LOOKUPS, ChoiceLookup

MAX_PROBLEMS_KEPT = 500


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Problem:
    row: int | None
    column: str
    message: str
    letter: str = ""
    sheet: str = ""
    warning: bool = False

    def __str__(self):
        where = _("sheet “%(sheet)s” ") % {"sheet": self.sheet} if self.sheet else ""
        if self.row is None:
            return f"{where}{self.column}: {self.message}" if self.column else self.message
        if not self.column:
            return where + _("Row %(row)s: %(message)s") % {
                "row": self.row,
                "message": self.message,
            }
        if self.letter:
            return where + _("Row %(row)s, column %(letter)s %(column)s: %(message)s") % {
                "row": self.row,
                "letter": self.letter,
                "column": self.column,
                "message": self.message,
            }
        return where + _("Row %(row)s %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Plan:
    rows_total: int = 0
    creates: list = field(default_factory=list)  # [(row number, {column name: value})]
    updates: list = field(
        default_factory=list
    )  # [(row number, pk, {attname: new}, {attname: old})]
    unchanged: int = 0
    skipped_duplicates: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    milestones: list = field(default_factory=list)  # [(row, project pk or None, stage, date)]

    @property
    def ok(self):
        return self.error_count == 0

    def error(self, problem):
        self.error_count += 1
        if len(self.errors) < MAX_PROBLEMS_KEPT:
            self.errors.append(problem)

    def warn(self, problem):
        problem.warning = True
        self.warning_count += 1
        if len(self.warnings) < MAX_PROBLEMS_KEPT:
            self.warnings.append(problem)


def _plain(value):
    """A JSON-safe form of a stored value (for a batch row's previous values)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _same(a, b):
    if a is None or a == "":
        return b is None or b == ""
    return a == b


def bump_data_version():
    """Records were written without the change log: figures cached from them are stale
    (core.models.DataVersion). Once the rows are committed, the whole tree's figures of
    this year are read again, so that the first dashboard after an import does not."""
    from zhaoshang.core.models import DataVersion
    from zhaoshang.targets import engine as figures

    DataVersion.bump()
    figures.warm_after_commit()


def _cached(parse):
    """A parser that remembers its answer (or its error) per distinct cell value: a column
    of units or stage words holds a handful of values over many rows."""
    answers = {}

    def parse_cached(raw):
        try:
            answer = answers[raw]
        except KeyError:
            try:
                answer = parse(raw)
            except CellError as exc:
                answer = exc
            except TypeError:  # an unhashable cell value: never cached
                return parse(raw)
            answers[raw] = answer
        if isinstance(answer, CellError):
            raise CellError(str(answer))
        return answer

    return parse_cached


class Engine:
    """Reads, validates and writes one file of one record type for one user."""

    def __init__(self, record_type, user, default_unit=None):
        self.rt = record_type
        self.model = record_type.model
        self.user = user
        self.default_unit = default_unit
        self.sheets = []
        self.headers = []

    # Reading ---------------------------------------------------------------------------
    def read(self, path, kind=None):
        self.sheets = read_sheets(path, kind)
        self.headers = [detect_header(self.rt, sheet.rows) for sheet in self.sheets]
        if not any(h.found for h in self.headers):
            raise ImportFileError(
                _(
                    "No header row was found: the file's columns do not look like %(type)s. "
                    "Check the record type, or start from the template."
                )
                % {"type": self.rt.verbose_name}
            )
        first = next(i for i, h in enumerate(self.headers) if h.found)
        self.sheets = self.sheets[first:]
        self.headers = self.headers[first:]
        return self.headers[0]

    @property
    def header(self):
        return self.headers[0]

    # Validation ------------------------------------------------------------------------
    def _parser(self, column, header_unit):
        parse = self._base_parser(column, header_unit)
        model_field = None
        if column.kind not in ("stage_date", "measure"):
            model_field = self.model._meta.get_field(column.name)
        checks = getattr(model_field, "_validators", None)
        if not checks:
            return parse

        def parse_checked(raw):
            """The field's own validators (ranges, code formats) on the parsed value."""
            from django.core.exceptions import ValidationError

            value, warning = parse(raw)
            if value is not None:
                try:
                    for check in checks:
                        check(value)
                except ValidationError as exc:
                    raise CellError(
                        _("“%(value)s”: %(problem)s")
                        % {"value": parsing.clean_text(raw), "problem": " ".join(exc.messages)}
                    ) from exc
            return value, warning

        return parse_checked

    def _base_parser(self, column, header_unit):
        kind = column.kind
        model_field = None
        if kind not in ("stage_date", "measure"):
            model_field = self.model._meta.get_field(column.name)
        if kind == "text":
            max_length = getattr(model_field, "max_length", None)
            clean = column.clean
            if clean is not None:
                return lambda raw: clean(parsing.parse_text(raw, max_length)[0])
            return lambda raw: parsing.parse_text(raw, max_length)
        if kind in ("quantity", "decimal"):
            places = model_field.decimal_places
            quantum = Decimal(1).scaleb(-places)
            limit = Decimal(10) ** (model_field.max_digits - places)

            def parse_quantity(raw):
                if kind == "decimal":
                    value, warning = parsing.parse_quantity(raw, "个")
                else:
                    value, warning = parsing.parse_quantity(raw, column.unit, header_unit)
                if value is None:
                    return None, warning
                value = value.quantize(quantum, rounding=ROUND_HALF_UP)
                if abs(value) >= limit:
                    raise CellError(_("“%(value)s” is too large") % {"value": raw})
                if value < 0:
                    raise CellError(_("“%(value)s” cannot be negative") % {"value": raw})
                return value, warning

            return parse_quantity
        if kind == "measure":
            return lambda raw: ((raw, header_unit), None)
        if kind == "int":
            return parsing.parse_int
        if kind in ("date", "stage_date"):
            return parsing.parse_date
        if kind == "bool":
            return parsing.parse_bool
        if kind == "choice":
            lookup = ChoiceLookup(model_field, column.choices)
            return _cached(lambda raw: (lookup.get(raw), None))
        lookup = self.lookups[kind]
        if kind == "enterprise" and not column.required:

            def parse_link(raw):
                try:
                    return lookup.get(raw)[0], None
                except CellError as exc:
                    return None, _("%(problem)s; left empty") % {"problem": exc}

            return parse_link
        if column.text_field:

            def parse_named(raw):
                text = parsing.clean_text(raw)
                try:
                    return (lookup.get(raw)[0], text), None
                except CellError:
                    return (None, text), None

            return parse_named

        return _cached(lambda raw: (lookup.get(raw)[0], None))

    def _mapped(self, columns):
        """[(index, Column, parser, label, letter)] of the mapped columns."""
        mapped, seen = [], set()
        for item in columns:
            name = item.get("field")
            if not name or name not in self.rt.by_name or name in seen:
                continue
            seen.add(name)
            column = self.rt.by_name[name]
            label, unit = split_unit(item["header"])
            unit = item.get("unit") or unit
            mapped.append((item["index"], column, label or item["header"], unit))
        kinds = {column.kind for _i, column, _l, _u in mapped} | {
            c.kind for c in self.rt.columns if c.required and c.kind == "unit"
        }
        self.lookups = {}
        for kind in kinds & set(LOOKUPS):
            self.lookups[kind] = LOOKUPS[kind]()
        for index, column, _label, _unit in mapped:
            if column.kind in self.lookups:
                values = [
                    row[index]
                    for sheet, header in zip(self.sheets, self.headers, strict=True)
                    for row in sheet.rows[header.data_start :]
                    if index < len(row)
                ]
                self.lookups[column.kind].prepare(values)
        return [
            (index, column, self._parser(column, unit), label, column_letter(index))
            for index, column, label, unit in mapped
        ]

    def _fallback_unit(self, header=None):
        """The unit of rows without one: the chosen default, else the sheet's 填报单位 line
        (one sheet per unit is common), else the user's own unit."""
        from zhaoshang.organization.models import Unit

        if self.default_unit is not None:
            return getattr(self.default_unit, "pk", self.default_unit)
        reporting = (header or self.header).reporting_unit
        if reporting and "unit" in self.lookups:
            try:
                return self.lookups["unit"].get(reporting)[0]
            except CellError:
                pass
        unit_id = getattr(self.user, "unit_id", None)
        return unit_id if Unit.objects.filter(pk=unit_id).exists() else None

    def validate(self, columns):
        """The plan for the confirmed mapping `columns`; nothing is written."""
        started = time.perf_counter()
        plan = Plan()
        mapped = self._mapped(columns)
        mapped_names = {column.name for _i, column, _p, _l, _x in mapped}
        labels = {column.name: label for _i, column, _p, label, _x in mapped}
        fallback_unit = self._fallback_unit()
        self._today = timezone.localdate()
        self._finishing = {c.name for c in self.rt.columns if c.text_field or c.kind == "measure"}
        for column in self.rt.columns:
            if column.required and column.name not in mapped_names and column.kind != "unit":
                plan.error(
                    Problem(
                        None,
                        "",
                        _("The file has no column for the required field “%(field)s”.")
                        % {"field": self.rt.column_label(column)},
                    )
                )
        if not plan.ok:
            return plan
        add_units = set(units_for(self.user, self.model, ADD).values_list("pk", flat=True))
        change_units = set(units_for(self.user, self.model, CHANGE).values_list("pk", flat=True))
        if not add_units and not change_units:
            plan.error(Problem(None, "", _("Your role may not import these records.")))
            return plan
        scope_col = self.rt.by_name[self.rt.scope_column]
        required = [c for c in self.rt.columns if c.required]
        unit_columns = [c.name for c in self.rt.columns if c.kind == "unit"]
        stage_columns = [c for c in self.rt.columns if c.kind == "stage_date"]
        today = timezone.localdate()
        rows = []  # (row number, sheet name, values)
        blank_rows = 0
        multi = len(self.sheets) > 1
        for sheet, header in zip(self.sheets, self.headers, strict=True):
            if header.labels != self.header.labels:
                if header.found:
                    plan.warn(
                        Problem(
                            None,
                            "",
                            _("Sheet “%(sheet)s” has other columns; it was not read.")
                            % {"sheet": sheet.name},
                        )
                    )
                continue
            sheet_name = sheet.name if multi else ""
            if header is not self.header:
                fallback_unit = self._fallback_unit(header)
            data = sheet.rows
            for i in range(header.data_start, len(data)):
                row = data[i]
                if is_skipped(row) or row == header.labels:
                    continue
                row_no = i + 1
                plan.rows_total += 1
                values = {}
                bad = False
                width = len(row)
                for index, column, parse, label, letter in mapped:
                    if index >= width:
                        continue
                    raw = row[index]
                    if raw == "" or raw is None:
                        continue
                    try:
                        value, warning = parse(raw)
                    except CellError as exc:
                        plan.error(Problem(row_no, label, str(exc), letter, sheet_name))
                        bad = True
                        values[column.name] = None  # reported once: not "required" too
                        continue
                    if warning:
                        plan.warn(Problem(row_no, label, warning, letter, sheet_name))
                    if value is not None:
                        values[column.name] = value
                if bad:
                    continue
                if self.rt.skip_when_blank and not any(
                    name in values for name in self.rt.skip_when_blank
                ):
                    plan.rows_total -= 1
                    blank_rows += 1
                    continue
                for name in unit_columns:
                    if name not in values and fallback_unit is not None:
                        values[name] = fallback_unit
                for column in required:
                    if column.name not in values:
                        if any(m[1].name == column.name for m in mapped) or column.kind != "unit":
                            label = labels.get(column.name) or self.rt.column_label(column)
                            plan.error(
                                Problem(row_no, str(label), _("is required"), "", sheet_name)
                            )
                            bad = True
                if bad:
                    continue
                bad = self._finish_row(plan, row_no, sheet_name, values, labels, stage_columns)
                if bad:
                    continue
                unit = values.get(scope_col.name)
                if scope_col.kind == "enterprise":
                    unit = self.lookups["enterprise"].extra_of(unit)
                if unit not in add_units:
                    plan.error(
                        Problem(
                            row_no,
                            str(labels.get(scope_col.name, self.rt.column_label(scope_col))),
                            _("outside your units: you may import only into your own units"),
                            "",
                            sheet_name,
                        )
                    )
                    continue
                rows.append((row_no, sheet_name, values))
        if blank_rows:
            label = self.rt.column_label(self.rt.by_name[self.rt.skip_when_blank[0]])
            plan.warn(
                Problem(
                    None,
                    "",
                    _("%(n)s rows without %(field)s were skipped.")
                    % {"n": blank_rows, "field": label},
                )
            )
        if plan.rows_total == 0:
            plan.error(Problem(None, "", _("The file has no data rows under its header.")))
        if not plan.ok:
            return plan
        self._match(plan, rows, mapped, labels, change_units, today)
        plan.seconds = time.perf_counter() - started
        return plan

    def _finish_row(self, plan, row_no, sheet, values, labels, stage_columns):
        """Values that depend on other columns of the row; True if the row is refused."""
        for name in self._finishing & values.keys():
            value = values[name]
            column = self.rt.by_name[name]
            if column.text_field:
                pk, text = value
                values[name] = pk
                values[column.text_field] = text or ""
            elif column.kind == "measure":
                raw, header_unit = value
                measure = self.lookups["indicator"].extra_of(values.get("indicator")) or "个"
                try:
                    number, warning = parsing.parse_quantity(raw, measure, header_unit)
                except CellError as exc:
                    plan.error(Problem(row_no, labels[name], str(exc), "", sheet))
                    return True
                if warning:
                    plan.warn(Problem(row_no, labels[name], warning, "", sheet))
                values[name] = number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        if stage_columns:
            today = self._today
            for column in stage_columns:
                day = values.get(column.name)
                if day is not None and day > today:
                    plan.error(
                        Problem(
                            row_no,
                            labels[column.name],
                            _("“%(date)s” is in the future") % {"date": day.isoformat()},
                            "",
                            sheet,
                        )
                    )
                    return True
            if "stage" not in values:
                reached = [c.stage for c in stage_columns if c.name in values]
                if reached:
                    values["stage"] = reached[-1]
        if self.rt.check_row is not None:
            problem = self.rt.check_row(values)
            if problem is not None:
                name, message = problem
                label = labels.get(name) or self.rt.column_label(self.rt.by_name[name])
                plan.error(Problem(row_no, str(label), message, "", sheet))
                return True
        return False

    # Matching --------------------------------------------------------------------------
    def _key_value(self, name, value):
        if name in self.rt.key_fields:
            return self.rt.key_fields[name][1](value)
        return value.strip() if isinstance(value, str) else value

    def _db_key_field(self, name):
        if name in self.rt.key_fields:
            return self.rt.key_fields[name][0]
        return self.model._meta.get_field(name).attname

    def _row_key(self, values):
        for alt, names in enumerate(self.rt.keys):
            if all(values.get(n) not in (None, "") for n in names):
                return (alt, tuple(self._key_value(n, values[n]) for n in names))
        return None

    def _attname(self, name):
        return self.model._meta.get_field(name).attname

    def _match(self, plan, rows, mapped, labels, change_units, today):
        model_fields = [
            column.name
            for _i, column, _p, _l, _x in mapped
            if column.kind not in ("stage_date",) and not column.name.startswith("date_")
        ]
        extra = []
        for _i, column, _p, _l, _x in mapped:
            if column.text_field:
                extra.append(column.text_field)
        if "stage" in {c.name for c in self.rt.columns} and any(
            "stage" in values for _r, _s, values in rows
        ):
            if "stage" not in model_fields:
                extra.append("stage")
        compare = [*model_fields, *extra]
        attnames = [self._attname(n) for n in compare]
        # Duplicates inside the file, by key.
        first_row = {}
        keyed = []
        for row_no, sheet, values in rows:
            key = self._row_key(values)
            if key is not None:
                if key in first_row:
                    other_no, other_values = first_row[key]
                    if other_values == values:
                        plan.skipped_duplicates += 1
                        plan.warn(
                            Problem(
                                row_no,
                                "",
                                _("same as row %(row)s; skipped") % {"row": other_no},
                                "",
                                sheet,
                            )
                        )
                    else:
                        plan.error(
                            Problem(
                                row_no,
                                "",
                                _("the same record as row %(row)s, with other values")
                                % {"row": other_no},
                                "",
                                sheet,
                            )
                        )
                    continue
                first_row[key] = (row_no, values)
            keyed.append((row_no, sheet, values, key))
        if not plan.ok:
            return
        existing = self._existing(keyed, attnames)
        scope_attr = "_scope_unit"
        stage_columns = [c for c in self.rt.columns if c.kind == "stage_date"]
        known_milestones = self._known_milestones(existing) if stage_columns else {}
        for row_no, sheet, values, key in keyed:
            record = existing.get(key) if key is not None else None
            if record is None:
                plan.creates.append((row_no, values))
                continue
            if record[scope_attr] not in change_units:
                plan.error(
                    Problem(
                        row_no,
                        "",
                        _("the existing record is outside your units and cannot be changed"),
                        "",
                        sheet,
                    )
                )
                continue
            changes, previous = {}, {}
            if self.rt.adapt_update is not None:
                values = self.rt.adapt_update(values, record)
            for name, attname in zip(compare, attnames, strict=True):
                if name not in values:
                    continue
                new, old = values[name], record[attname]
                if not _same(new, old):
                    changes[attname] = new
                    previous[attname] = _plain(old)
            new_stages = []
            reached = {stage for stage, _day in known_milestones.get(record["pk"], ())}
            for column in stage_columns:
                day = values.get(column.name)
                if day is not None and column.stage not in reached:
                    new_stages.append((column.stage, day))
            if changes and self.rt.on_change is not None:
                self.rt.on_change(changes, previous, record)
            if not changes and not new_stages:
                plan.unchanged += 1
                continue
            if changes:
                previous["updated_at"] = _plain(record["updated_at"])
            plan.updates.append((row_no, record["pk"], changes, previous))
            for stage, day in new_stages:
                plan.milestones.append((row_no, record["pk"], stage, day))

    def _existing(self, keyed, attnames):
        """{key: {attname: value, "pk", "_scope_unit", "updated_at"}} of existing records."""
        found = {}
        scope_path = self.model.scope_path()[: -len("__path")]
        fetch = ["pk", "updated_at", *attnames, *self.rt.existing_fields]
        for alt, names in enumerate(self.rt.keys):
            wanted = {key[1] for _r, _s, _v, key in keyed if key is not None and key[0] == alt}
            if not wanted:
                continue
            db_fields = [self._db_key_field(n) for n in names]
            first_values = sorted({k[0] for k in wanted}, key=str)
            for start in range(0, len(first_values), 2000):
                chunk = first_values[start : start + 2000]
                query = self.model._base_manager.filter(**{f"{db_fields[0]}__in": chunk})
                for record in query.values(*fetch, *db_fields, _scope_unit=models.F(scope_path)):
                    key_values = tuple(
                        self._key_value(n, record[f]) if record[f] is not None else None
                        for n, f in zip(names, db_fields, strict=True)
                    )
                    key = (alt, key_values)
                    if key[1] in wanted:
                        found.setdefault(key, record)
        return found

    def _known_milestones(self, existing):
        from zhaoshang.pipeline.models import Milestone

        ids = sorted({record["pk"] for record in existing.values()})
        known = {}
        for start in range(0, len(ids), 2000):
            for pk, stage, day in Milestone.objects.filter(
                project_id__in=ids[start : start + 2000]
            ).values_list("project_id", "stage", "date"):
                known.setdefault(pk, set()).add((stage, day))
        return known

    # Writing ---------------------------------------------------------------------------
    def commit(self, plan, batch):
        """Write the plan in one transaction and record it on `batch` (all or nothing)."""
        from zhaoshang.imports.models import BatchStatus

        if not plan.ok:
            raise ImportFileError(_("The file has problems; nothing was imported."))
        started = time.perf_counter()
        writer = RawWriter()
        with transaction.atomic():
            locked = type(batch)._base_manager.select_for_update().get(pk=batch.pk)
            if locked.status != BatchStatus.DRAFT:
                raise ImportFileError(_("This file has already been imported."))
            created_ids = self._insert_creates(plan, writer)
            self._write_updates(plan, writer)
            milestone_rows = self._insert_milestones(plan, writer, created_ids)
            self._record_rows(batch, plan, writer, created_ids, milestone_rows)
            batch.status = BatchStatus.COMMITTED
            batch.committed_at = writer.moment
            batch.rows_total = plan.rows_total
            batch.created_count = len(plan.creates)
            batch.updated_count = len(plan.updates)
            batch.unchanged_count = plan.unchanged + plan.skipped_duplicates
            batch.seconds = round(time.perf_counter() - started, 3)
            batch.save()
            bump_data_version()
        return batch

    def _insert_creates(self, plan, writer):
        if not plan.creates:
            return []
        meta = self.model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = writer.now
            elif f.has_default() or not f.null:
                defaults[f.attname] = f.get_default()
            else:
                defaults[f.attname] = None
        defaults["created_by_id"] = self.user.pk
        for name, value in self.rt.defaults.items():
            defaults[self._attname(name)] = value
        owner = getattr(self.model, "owner_user_field", None)
        if owner:
            defaults[self._attname(owner)] = self.user.pk
        if any(f.name == "reported_by" for f in fields):
            defaults["reported_by_id"] = self.user.pk
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        attnames = ["id", *(f.attname for f in fields)]
        to_attname = {c.name: self._attname(c.name) for c in self.rt.columns if c.kind not in
                      ("stage_date",)}  # fmt: skip
        for column in self.rt.columns:
            if column.text_field:
                to_attname[column.text_field] = self._attname(column.text_field)
        ids = writer.reserve_ids(self.model, len(plan.creates))
        derive = self.rt.derive
        year = writer.moment.astimezone(timezone.get_current_timezone()).year

        # Rows are built as lists from a template, by position: at 100,000 rows a dict
        # per row costs more than the insert itself.
        position = {attname: i for i, attname in enumerate(attnames)}
        template = [defaults.get(attname) for attname in attnames]
        name_position = {name: position[a] for name, a in to_attname.items()}
        json_positions = [position[a] for a in json_fields]
        for i in json_positions:
            if template[i] is not None:
                template[i] = json.dumps(template[i])

        def rows():
            for pk, (_row_no, values) in zip(ids, plan.creates, strict=True):
                record = template.copy()
                for name, value in values.items():
                    i = name_position.get(name)
                    if i is not None:
                        record[i] = value
                record[0] = pk
                if derive is not None:
                    derive(record, position, pk, year)
                yield record

        writer.insert(self.model, attnames, rows())
        return ids

    def _write_updates(self, plan, writer):
        groups = {}
        for _row_no, pk, changes, _previous in plan.updates:
            if changes:
                groups.setdefault(tuple(sorted(changes)), []).append((pk, changes))
        auto = [
            f.attname
            for f in self.model._meta.concrete_fields
            if getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        ]
        json_fields = {
            f.attname for f in self.model._meta.concrete_fields if isinstance(f, models.JSONField)
        }
        table = self.model._meta.db_table
        db_column = {f.attname: f.column for f in self.model._meta.concrete_fields}
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for names, items in groups.items():
                sets = ", ".join(f"{quote(db_column[a])} = %s" for a in [*names, *auto])
                sql = f"UPDATE {connection.ops.quote_name(table)} SET {sets} WHERE id = %s"
                params = []
                for pk, changes in items:
                    row = [
                        json.dumps(changes[a]) if a in json_fields else changes[a] for a in names
                    ]
                    params.append([*row, *([writer.now] * len(auto)), pk])
                cursor.executemany(sql, params)

    def _insert_milestones(self, plan, writer, created_ids):
        """Milestones from the stage dates: every dated stage of a created project, and the
        stages an updated project had not reached yet. Returns the ids of the latter."""
        from zhaoshang.pipeline.choices import LIFECYCLE, Stage
        from zhaoshang.pipeline.models import Milestone

        stage_columns = [c for c in self.rt.columns if c.kind == "stage_date"]
        if not stage_columns:
            return []
        order = {
            stage: i for i, stage in enumerate([*LIFECYCLE, Stage.CONTINUING, Stage.TERMINATED])
        }
        rows = []
        for pk, (_row_no, values) in zip(created_ids, plan.creates, strict=True):
            dated = sorted(
                (
                    (values[c.name], order[c.stage], c.stage)
                    for c in stage_columns
                    if c.name in values
                ),
            )
            previous = ""
            for day, _o, stage in dated:
                rows.append((pk, stage, previous, day))
                previous = stage
        new_for_existing = len(rows)
        for _row_no, pk, stage, day in plan.milestones:
            rows.append((pk, stage, "", day))
        if not rows:
            return []
        ids = writer.reserve_ids(Milestone, len(rows))
        fields = ["id", "created_at", "updated_at", "created_by", "project", "stage", "from_stage",
                  "date", "reason", "recorded_by", "recorded_at"]  # fmt: skip
        user = self.user.pk
        now = writer.now
        # Each stage gets one milestone here, and only a stage the project had not reached:
        # every row written is the project's first of its stage.
        fields.append("is_first")
        writer.insert(
            Milestone,
            fields,
            (
                (pk, now, now, user, project, stage, previous, day, "", user, now, True)
                for pk, (project, stage, previous, day) in zip(ids, rows, strict=True)
            ),
        )
        return ids[new_for_existing:]

    def _record_rows(self, batch, plan, writer, created_ids, milestone_ids):
        from zhaoshang.imports.models import BatchRow
        from zhaoshang.pipeline.models import Milestone

        ct = ContentType.objects.get_for_model(self.model).pk
        ct_milestone = ContentType.objects.get_for_model(Milestone).pk if milestone_ids else None
        fields = ["batch", "content_type", "object_id", "action", "row_number", "previous"]

        def rows():
            for pk, (row_no, _values) in zip(created_ids, plan.creates, strict=True):
                yield (batch.pk, ct, pk, "create", row_no, None)
            for row_no, pk, _changes, previous in plan.updates:
                yield (batch.pk, ct, pk, "update", row_no, json.dumps(previous, ensure_ascii=False))
            for pk in milestone_ids:
                yield (batch.pk, ct_milestone, pk, "create", None, None)

        writer.insert(BatchRow, fields, rows())


class RawWriter:
    """The synthetic data set's insert path (COPY on PostgreSQL, executemany on SQLite),
    with ids reserved first so that related rows can point at new records."""

    def __init__(self):
        from zhaoshang.synthetic.records import Writer

        self.writer = Writer()
        self.postgres = self.writer.postgres
        self.now = self.writer.now
        self.moment = datetime.datetime.fromisoformat(
            self.now if self.postgres else self.now.replace(" ", "T") + "+00:00"
        )

    def reserve_ids(self, model, count):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the transaction holds the write lock (IMMEDIATE), so nobody else
            # takes ids until it ends.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            first = cursor.fetchone()[0] + 1
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row and row[0] >= first:
                first = row[0] + 1
            return list(range(first, first + count))

    def insert(self, model, fields, rows):
        return self.writer.insert(model, fields, rows)

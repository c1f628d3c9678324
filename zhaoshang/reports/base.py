"""What every report generator shares: the document structure its `compute()` returns, the
parameter form, and the helpers that make each figure a link to the records behind it.

A document is plain JSON, the one thing every renderer (HTML, .docx, .xlsx) reads:

    {"code", "title", "subtitle", "doc_number", "issuer", "date", "notice": bool,
     "blocks": [
        {"kind": "heading", "text": "一、综合排名"},
        {"kind": "paragraph", "sentences": [[run, …], …]},
        {"kind": "table", "title": "…", "columns": ["单位", …], "numeric": [False, True, …],
         "rows": [[cell, …], …]},
     ]}

A run or a cell is either a string or {"text": "12.5亿元", "value": "12.5", "url": "/…"}:
the text printed, the exact number (a string, for .xlsx and comparisons) and the page of
the records behind it. The canonical form (no URLs, no date) is what the archive hashes.
"""

import datetime
import hashlib
import json

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.periods import Period
from zhaoshang.core.scope import VIEW, units_for
from zhaoshang.reports.wording import cn_date

CN_NUMERALS = "一二三四五六七八九十"


# Runs and cells ------------------------------------------------------------------------------


def fig(text, value=None, url=None):
    """A figure as printed, with its exact value and the link to its records."""
    cell = {"text": str(text)}
    if value is not None:
        cell["value"] = str(value)
    if url:
        cell["url"] = url
    return cell


def text_of(run):
    return run if isinstance(run, str) else run.get("text", "")


def sentence_text(sentence):
    return "".join(text_of(run) for run in sentence)


def heading(number, text):
    """一、综合排名"""
    return {"kind": "heading", "text": f"{CN_NUMERALS[number - 1]}、{text}"}


def paragraph(*sentences):
    sentences = [s for s in sentences if s]
    return {"kind": "paragraph", "sentences": sentences} if sentences else None


def table(title, columns, rows, numeric=None):
    return {
        "kind": "table",
        "title": title,
        "columns": list(columns),
        "numeric": list(numeric or [False] * len(columns)),
        "rows": rows,
    }


def ledger_url(name, **filters):
    """A ledger page filtered: list values repeat the parameter."""
    pairs = []
    for key, value in filters.items():
        if value in (None, ""):
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, item.isoformat() if hasattr(item, "isoformat") else item))
    return f"{reverse(name)}?{urlencode(pairs)}"


def records_url(indicator, unit, period):
    """The targets drill-down page of one figure."""
    query = urlencode({"unit": unit.pk, "period": period.code})
    return f"{reverse('targets:records', args=[indicator.pk])}?{query}"


def count_cell(n, url=None):
    return fig(str(n), n, url)


# Canonical form, hash and differences ------------------------------------------------------


# Keys that say nothing about the figures: links, the day of printing, the document number.
NOT_FIGURES = ("url", "date", "doc_number")


def _strip(obj):
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in NOT_FIGURES}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def canonical_json(document):
    """The document without links, date and document number: equal figures, equal text."""
    return json.dumps(_strip(document), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def figures_hash(document):
    return hashlib.sha256(canonical_json(document).encode()).hexdigest()


def flatten(document):
    """{place: text} of every sentence and table cell, to compare two generations."""
    places, section = {}, ""
    for block in document.get("blocks", []):
        if block["kind"] == "heading":
            section = block["text"]
        elif block["kind"] == "paragraph":
            for i, sentence in enumerate(block["sentences"], start=1):
                places[f"{section} 第{i}句" if section else f"第{i}句"] = sentence_text(sentence)
        elif block["kind"] == "table":
            for row in block["rows"]:
                label = text_of(row[0]) if row else ""
                for column, cell in zip(block["columns"][1:], row[1:], strict=False):
                    places[f"{block['title']} · {label} · {column}"] = text_of(cell)
    return places


def differences(old, new):
    """[(place, before, now)] where two generations of a report differ."""
    a, b = flatten(old), flatten(new)
    return [
        (place, a.get(place, "—"), b.get(place, "—"))
        for place in list(dict.fromkeys([*a, *b]))
        if a.get(place) != b.get(place)
    ]


# Records ------------------------------------------------------------------------------------


def units_under(unit):
    """Ids of the units of `unit`'s subtree, as a subquery."""
    from zhaoshang.organization.models import Unit

    return Unit.objects.filter(path__startswith=unit.path).values("pk")


def leads_between(start, end, unit):
    """Leads that came in from `start` to `end` (local days) in the unit's subtree.

    Counted as the engine counts the 新增招商线索 indicator: by local arrival day."""
    from zhaoshang.pipeline.models import Lead

    tz = timezone.get_current_timezone()
    after = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    before = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return Lead.objects.filter(
        created_at__gte=after, created_at__lt=before, unit__in=units_under(unit)
    )


# Parameters ---------------------------------------------------------------------------------


def scope_units(user):
    """Units whose reports the user may generate: those under which they see projects."""
    from zhaoshang.pipeline.models import Project

    return units_for(user, Project, VIEW).filter(is_active=True).order_by("path")


def period_choices(today=None):
    """Grouped period choices of this year and the last: halves and year first."""
    from django.utils.translation import gettext

    year = (today or timezone.localdate()).year
    groups = []
    for y in (year, year - 1):
        main = [Period.half(y, 1), Period.half(y, 2), Period.whole_year(y)]
        cumulative = [Period.cumulative(y, m) for m in range(1, 13)]
        finer = [Period.quarter(y, q) for q in range(1, 5)] + [
            Period.month(y, m) for m in range(1, 13)
        ]
        for label, periods in (
            (gettext("%(year)s: half years and year"), main),
            (gettext("%(year)s: January to a month"), cumulative),
            (gettext("%(year)s: quarters and months"), finer),
        ):
            groups.append((label % {"year": y}, [(p.code, p.label) for p in periods]))
    return groups


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


def _period(code):
    try:
        period = Period.parse(code)
        if not 2000 <= period.year <= 2100:
            raise ValueError(code)
        return period
    except ValueError:
        raise forms.ValidationError(
            _("“%(code)s” is not a period: use e.g. 2026H1, 2026Y, 2026C08 or 2026M03."),
            params={"code": code},
        ) from None


class ReportForm(forms.Form):
    """The parameters of one report: only the fields its generator declares are kept."""

    unit = UnitChoiceField(queryset=None, label=_("unit"))
    peer_group = forms.ModelChoiceField(queryset=None, label=_("peer group"))
    unit_class = forms.ModelChoiceField(
        queryset=None, label=_("unit class"), required=False, empty_label=_("all classes")
    )
    period = forms.CharField(label=_("period"), max_length=10)
    month = forms.CharField(label=_("month"), max_length=7, help_text=_("e.g. 2026-03"))
    week = forms.DateField(
        label=_("a day of the week"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    doc_number = forms.CharField(
        label=_("document number"),
        max_length=60,
        required=False,
        help_text=_("e.g. 临投促〔2026〕5号"),
    )

    def __init__(self, *args, generator=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhaoshang.organization.models import PeerGroup, UnitClass

        self.user = user
        for name in list(self.fields):
            if name not in generator.params:
                del self.fields[name]
        if "unit" in self.fields:
            self.fields["unit"].queryset = scope_units(user)
        if "peer_group" in self.fields:
            self.fields["peer_group"].queryset = PeerGroup.objects.visible_to(user)
        if "period" in self.fields:
            self.fields["period"].widget = forms.Select(choices=period_choices())
        if "unit_class" in self.fields:
            self.fields["unit_class"].queryset = UnitClass.objects.visible_to(user)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_period(self):
        return _period(self.cleaned_data["period"]).code

    def clean_week(self):
        day = self.cleaned_data["week"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Choose a day between the years 2000 and 2100."))
        return day

    def clean_month(self):
        text = self.cleaned_data["month"].strip()
        try:
            year, month = (int(x) for x in text.split("-"))
            if not (1 <= month <= 12 and 2000 <= year <= 2100):
                raise ValueError(text)
        except ValueError:
            raise forms.ValidationError(
                _("“%(text)s” is not a month: write it as 2026-03."), params={"text": text}
            ) from None
        return Period.month(year, month).code

    def forged(self):
        """A unit, group or class id outside the user's choices (a hand-made request)."""
        for name in ("unit", "peer_group", "unit_class"):
            raw = self.data.get(name)
            if name in self.fields and raw and name in self.errors:
                return True
        return False

    def params(self):
        """The cleaned parameters as JSON: ids and codes."""
        result = {}
        for name, value in self.cleaned_data.items():
            if hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            result[name] = value
        return result


# Generators ---------------------------------------------------------------------------------


class ReportGenerator:
    """A report: a code, a title, its parameters, `compute()` and one renderer per output.

    Subclasses set `code`, `title`, `description`, `params` (names of ReportForm fields)
    and implement `compute()` returning the document (see the module docstring). `user`
    None means a scheduled run, which sees everything (its archive entry is scoped)."""

    code = ""
    title = ""
    description = ""
    params = ()
    notice = False  # printed as a government notice (document number, issuer, date)
    do_not_call_in_templates = True  # templates list the classes themselves

    def __init__(self, params, user=None):
        self.raw = params
        self.user = user
        self.today = timezone.localdate()

    # Parameters as objects
    @property
    def unit(self):
        from zhaoshang.organization.models import Unit

        return Unit.objects.get(pk=self.raw["unit"])

    @property
    def period(self):
        return Period.parse(self.raw["period"])

    def owner_unit(self):
        """The unit the archived report belongs to (its scope)."""
        return self.unit

    def period_code(self):
        return self.raw.get("period") or self.raw.get("month") or self.raw.get("week") or ""

    def visible(self, queryset):
        """The records of `queryset` the user may see (everything for a scheduled run)."""
        if self.user is None:
            return queryset
        return queryset.filter(pk__in=queryset.model.objects.visible_to(self.user).values("pk"))

    @classmethod
    def available_to(cls, user):
        return scope_units(user).exists()

    def document(self, subtitle, blocks, **extra):
        return {
            "code": self.code,
            "title": extra.pop("title", str(self.title)),
            "subtitle": subtitle,
            "notice": self.notice,
            "date": cn_date(self.today),
            "blocks": [b for b in blocks if b],
            **extra,
        }

    def compute(self):
        raise NotImplementedError

"""Finding related records named in a cell: units and users by name or code, enterprises by
credit code or normalised name, projects by code or name, indicators by code or name,
choices by their Chinese label, code or a synonym."""

import unicodedata

from django.utils import translation
from django.utils.translation import gettext as _

from zhaoshang.imports.parsing import CellError, clean_text


def key_text(value):
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip().casefold()


class Lookup:
    """A text → (pk, extra) table; ambiguous texts are refused when asked for."""

    not_found = ""

    def __init__(self):
        self.table = {}
        self.ambiguous = set()
        self.extras = {}

    def add(self, text, pk, extra=None):
        if not text:
            return
        key = key_text(text)
        if key in self.table and self.table[key][0] != pk:
            self.ambiguous.add(key)
        self.table.setdefault(key, (pk, extra))
        self.extras.setdefault(pk, extra)

    def extra_of(self, pk):
        return self.extras.get(pk)

    def prepare(self, raw_values):
        """Load what the cells name (a no-op for tables loaded whole)."""

    def get(self, raw):
        text = clean_text(raw)
        if text is None:
            return None
        key = key_text(text)
        if key in self.ambiguous:
            raise CellError(_("“%(value)s” matches more than one record") % {"value": text})
        found = self.table.get(key)
        if found is None:
            raise CellError(self.not_found % {"value": text})
        return found


class UnitLookup(Lookup):
    def __init__(self):
        from zhaoshang.organization.models import Unit

        super().__init__()
        self.not_found = _("no unit “%(value)s”")
        units = list(Unit.objects.values_list("pk", "name", "code"))
        for pk, _name, code in units:
            self.add(code, pk)
        for pk, name, _code in units:
            self.add(name, pk)
            if name.endswith("办事处"):
                self.add(name[: -len("办事处")], pk)


class UserLookup(Lookup):
    def __init__(self):
        from zhaoshang.organization.models import User

        super().__init__()
        self.not_found = _("no user “%(value)s”")
        rows = list(User.objects.filter(is_active=True).values_list("pk", "username", "full_name"))
        for pk, username, _full in rows:
            self.add(username, pk)
        for pk, _username, full in rows:
            if key_text(full or "") not in self.table:
                self.add(full, pk)


class EnterpriseLookup(Lookup):
    """Enterprises by credit code or normalised name; extra = the enterprise's unit id."""

    def __init__(self):
        super().__init__()
        self.not_found = _("no enterprise “%(value)s” in the enterprise database")

    def prepare(self, raw_values):
        from zhaoshang.enterprises.models import Enterprise
        from zhaoshang.enterprises.normalize import normalize_name
        from zhaoshang.enterprises.validators import clean_credit_code

        texts = {clean_text(v) for v in raw_values} - {None}
        codes = {clean_credit_code(t) for t in texts if len(t) == 18}
        names = {normalize_name(t) for t in texts}
        fields = ("pk", "credit_code", "normalized_name", "unit_id")
        for chunk in _chunks(sorted(codes)):
            for pk, code, _norm, unit in Enterprise.objects.filter(
                credit_code__in=chunk
            ).values_list(*fields):
                self.add(code, pk, unit)
        for chunk in _chunks(sorted(names)):
            for pk, _code, norm, unit in Enterprise.objects.filter(
                normalized_name__in=chunk
            ).values_list(*fields):
                self.add(norm, pk, unit)
        self._normalize = normalize_name

    def get(self, raw):
        text = clean_text(raw)
        if text is None:
            return None
        key = key_text(text)
        if key not in self.table:
            key = key_text(self._normalize(text))
        if key in self.ambiguous:
            raise CellError(_("“%(value)s” matches more than one record") % {"value": text})
        found = self.table.get(key)
        if found is None:
            raise CellError(self.not_found % {"value": text})
        return found


class ProjectLookup(Lookup):
    def __init__(self):
        super().__init__()
        self.not_found = _("no project “%(value)s”")

    def prepare(self, raw_values):
        from zhaoshang.pipeline.models import Project

        texts = sorted({clean_text(v) for v in raw_values} - {None})
        for chunk in _chunks(texts):
            for pk, code in Project.objects.filter(code__in=chunk).values_list("pk", "code"):
                self.add(code, pk)
            for pk, name in Project.objects.filter(name__in=chunk).values_list("pk", "name"):
                self.add(name, pk)


class IndicatorLookup(Lookup):
    """Indicators by code or name; extra = the indicator's unit of measure."""

    def __init__(self):
        from zhaoshang.targets.models import Indicator

        super().__init__()
        self.not_found = _("no indicator “%(value)s”")
        rows = list(Indicator.objects.values_list("pk", "code", "name", "unit_of_measure"))
        for pk, code, _name, measure in rows:
            self.add(code, pk, measure)
        for pk, _code, name, measure in rows:
            self.add(name, pk, measure)


class ParkLookup(Lookup):
    def __init__(self):
        from zhaoshang.carriers.models import Park

        super().__init__()
        self.not_found = _("no park “%(value)s”")
        for pk, name in Park.objects.values_list("pk", "name"):
            self.add(name, pk)


class ChoiceLookup(Lookup):
    """A model field's choices by Chinese label, English label, code, or a declared word."""

    def __init__(self, field, words=None):
        super().__init__()
        self.not_found = _("“%(value)s” is not one of the choices")
        for value, label in field.flatchoices:
            if value in ("", None):
                continue
            self.add(value, value)
            with translation.override("zh-hans"):
                self.add(str(label), value)
            with translation.override("en"):
                self.add(str(label), value)
        for word, value in (words or {}).items():
            self.add(word, value)

    def get(self, raw):
        found = super().get(raw)
        return None if found is None else found[0]


LOOKUPS = {
    "unit": UnitLookup,
    "user": UserLookup,
    "enterprise": EnterpriseLookup,
    "project": ProjectLookup,
    "indicator": IndicatorLookup,
    "park": ParkLookup,
}


def _chunks(items, size=500):
    for start in range(0, len(items), size):
        yield items[start : start + size]

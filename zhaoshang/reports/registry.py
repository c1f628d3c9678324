"""The registry of report generators: one class per report, listed on one page (STYLE.md,
django-oscar's pattern). Add a report by writing its module and naming it here."""

from zhaoshang.reports.approvals import OverdueApprovals
from zhaoshang.reports.catalogue import Catalogue
from zhaoshang.reports.leaders import LeaderProjects
from zhaoshang.reports.narrative import Narrative
from zhaoshang.reports.notice import MonthlyNotice
from zhaoshang.reports.weekly import WeeklySummary

GENERATORS = [Narrative, MonthlyNotice, WeeklySummary, LeaderProjects, OverdueApprovals, Catalogue]
BY_CODE = {g.code: g for g in GENERATORS}


def get(code):
    """The generator class of a code, or None."""
    return BY_CODE.get(code)


def available(user):
    return [g for g in GENERATORS if g.available_to(user)]

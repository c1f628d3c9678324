"""The registry of report generators: one class per report, listed on one page (STYLE.md,
django-oscar's pattern).

Adding a report:
1. a module with a `base.ReportGenerator` subclass: `code` (URL slug), `title` and
   `description` (gettext_lazy), `params` (names of `base.ReportForm` fields), and
   `compute()` returning the document described in `base` — figures as `base.fig(text,
   value, url)` so that the page links them and the .xlsx writes them as numbers;
2. Chinese sentences of the document in `wording.py` (content, not UI: no gettext);
3. its name in GENERATORS below. The pages, the archive, the .docx and the .xlsx need
   nothing more; override `available_to`, `owner_unit` or `period_code` when the report
   is not about one unit and one period.
"""

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

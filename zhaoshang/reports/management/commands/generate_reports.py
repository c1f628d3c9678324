"""Generate the week's and the month's reports into the archive (for cron).

manage.py generate_reports --week            last week's summary of every district/zone
manage.py generate_reports --month           last month's notice of every peer group and
                                             the January-to-month narrative of every
                                             district/zone
--date 2026-07-06  as if run on that day
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.core.periods import Period
from zhaoshang.reports import archive
from zhaoshang.reports.narrative import Narrative
from zhaoshang.reports.notice import MonthlyNotice
from zhaoshang.reports.weekly import WeeklySummary

JURISDICTIONS = ("district", "zone")


class Command(BaseCommand):
    help = "Generate last week's and/or last month's reports into the report archive."

    def add_arguments(self, parser):
        parser.add_argument("--week", action="store_true", help="last week's summaries")
        parser.add_argument("--month", action="store_true", help="last month's notices")
        parser.add_argument("--date", help="run as if today were this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        if not (options["week"] or options["month"]):
            raise CommandError("Give --week, --month or both.")
        try:
            today = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError(f"Not a date: {options['date']!r} (use YYYY-MM-DD).") from None
        runs = []
        if options["week"]:
            runs += self.weekly(today - datetime.timedelta(days=7))
        if options["month"]:
            runs += self.monthly(today.replace(day=1) - datetime.timedelta(days=1))
        for run in runs:
            self.stdout.write(f"{run.pk}\t{run.code}\t{run.period_code}\t{run.title}")

    def _jurisdictions(self):
        from zhaoshang.organization.models import Unit

        return Unit.objects.filter(kind__in=JURISDICTIONS, is_active=True).order_by("path")

    def weekly(self, day):
        """Every district's and zone's week by its units, then each unit class's week."""
        from zhaoshang.organization.models import UnitClass

        week = day.isoformat()
        runs = [
            archive.generate(
                WeeklySummary, {"unit": u.pk, "unit_class": None, "week": week}, None, True
            )
            for u in self._jurisdictions()
        ]
        classes = UnitClass.objects.filter(units__is_active=True).distinct().order_by("pk")
        runs += [
            archive.generate(
                WeeklySummary,
                {"unit": c.owner_unit_id, "unit_class": c.pk, "week": week},
                None,
                True,
            )
            for c in classes
        ]
        return runs

    def monthly(self, last_day):
        from zhaoshang.organization.models import PeerGroup

        month = Period.month(last_day.year, last_day.month)
        runs = [
            archive.generate(
                MonthlyNotice,
                {"peer_group": g.pk, "month": month.code, "doc_number": ""},
                None,
                True,
            )
            for g in PeerGroup.objects.filter(units__isnull=False).distinct().order_by("pk")
        ]
        cumulative = month.year_to_date().code
        runs += [
            archive.generate(Narrative, {"unit": u.pk, "period": cumulative}, None, True)
            for u in self._jurisdictions()
        ]
        return runs

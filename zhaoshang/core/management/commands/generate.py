"""Write a plausible synthetic data set: `manage.py generate --scale district|city|province`.

Fixed seed, bulk inserts, timings printed per table (docs/PERFORMANCE.md records them).
"""

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.synthetic import units as unit_data
from zhaoshang.synthetic.dataset import Reporter, generate


class Command(BaseCommand):
    help = "Generate synthetic units, users and records at a given scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(unit_data.SCALES), default="district")
        parser.add_argument("--seed", type=int, default=20261122)

    def handle(self, *args, scale, seed, **options):
        from zhaoshang.organization.models import Unit

        if Unit.objects.exists():
            raise CommandError("The database already has units; generate into an empty one.")
        report = Reporter(self.stdout)
        generate(scale, seed, report)
        report("statistics", _analyze)
        report("figures", _warm)
        report.total()


def _warm():
    """This year's cubes of every indicator, read once the statistics are there, so the
    first dashboard does not read them from the records (targets.engine.warm)."""
    from zhaoshang.targets import engine

    return engine.warm()


def _analyze():
    """Planner statistics for the new rows: without them PostgreSQL estimates a handful of
    rows where there are 100,000s and picks plans 10x slower (SQLite likewise)."""
    from django.db import connection

    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return 0

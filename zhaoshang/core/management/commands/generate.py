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
        report.total()

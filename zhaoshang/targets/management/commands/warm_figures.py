"""Read and store this year's figures of every indicator (for cron, each night).

manage.py warm_figures                 this year's cubes (and, held by them, last year's)
manage.py warm_figures --year 2025     another year's

Cheap when nothing is missing (the stored cubes are loaded and brought up to date); on the
first night of a year it reads the new year's cubes, so that no leader's first dashboard
of the year is the page that reads them from the records.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhaoshang.targets import engine


class Command(BaseCommand):
    help = "Read and store the figures of every indicator for this year (or --year)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the year (default: this year)")

    def handle(self, *args, **options):
        year = options["year"] or timezone.localdate().year
        started = time.perf_counter()
        read = engine.STATS["read"]
        cubes = engine.warm(year)
        self.stdout.write(
            f"{year}: {cubes} cubes current, {engine.STATS['read'] - read} read from the "
            f"records, {time.perf_counter() - started:.1f} s"
        )

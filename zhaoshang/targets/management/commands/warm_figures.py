"""Read and store the figures of every indicator for this year and last year (for cron,
each night).

manage.py warm_figures                 this year's and last year's cubes
manage.py warm_figures --year 2024     one year's

A year's cube holds the year before it too, which a year-on-year comparison reads: this
year's serves this year and last year's periods, last year's serves last year's
comparison with the year before. Cheap when nothing is missing (the stored cubes are
loaded and brought up to date); on the first night of a year it reads the new year's
cubes, so that no leader's first dashboard of the year (nor last year's annual figures)
is the page that reads them from the records.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhaoshang.targets import engine


class Command(BaseCommand):
    help = "Read and store the figures of every indicator for this and last year (or --year)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="one year (default: this and last year)")

    def handle(self, *args, **options):
        this_year = timezone.localdate().year
        years = [options["year"]] if options["year"] else [this_year, this_year - 1]
        for year in years:
            started = time.perf_counter()
            read = engine.STATS["read"]
            cubes = engine.warm(year)
            self.stdout.write(
                f"{year}: {cubes} cubes current, {engine.STATS['read'] - read} read from the "
                f"records, {time.perf_counter() - started:.1f} s"
            )

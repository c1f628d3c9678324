"""Write a plausible synthetic data set: `manage.py generate --scale district|city|province`.

Fixed seed, bulk inserts, timings printed per table (docs/PERFORMANCE.md records them).
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhaoshang.synthetic import units as unit_data


class Command(BaseCommand):
    help = "Generate synthetic units, users and records at a given scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(unit_data.SCALES), default="district")
        parser.add_argument("--seed", type=int, default=20261122)

    def handle(self, *args, scale, seed, **options):
        from zhaoshang.organization.models import Unit

        if Unit.objects.exists():
            raise CommandError("The database already has units; generate into an empty one.")
        spec = unit_data.SCALES[scale]
        rng = random.Random(seed)
        started = time.perf_counter()
        with transaction.atomic():
            units = self.step("units", lambda: unit_data.insert_units(unit_data.unit_rows(spec)))
            self.step("users", lambda: unit_data.insert_users(unit_data.user_rows(units), units))
            from zhaoshang.synthetic import records

            records.generate(spec, rng, units, self.step)
        self.stdout.write(f"total {time.perf_counter() - started:.1f}s")

    def step(self, name, build):
        started = time.perf_counter()
        result = build()
        count = len(result) if hasattr(result, "__len__") else result
        self.stdout.write(f"{name:<14} {count:>10,} rows {time.perf_counter() - started:8.1f}s")
        return result

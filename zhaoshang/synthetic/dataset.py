"""A whole synthetic data set: units, groups, users and every kind of record."""

import random
import time

from django.db import transaction

from zhaoshang.synthetic import units as unit_data


def generate(scale, seed, step):
    """Generate a whole data set; `step(name, build)` runs and reports each table."""
    spec = unit_data.SCALES[scale]
    rng = random.Random(seed)
    with transaction.atomic():
        units = step("units", lambda: unit_data.insert_units(unit_data.unit_rows(spec)))
        step("groups", lambda: unit_data.insert_groups(units))
        step("users", lambda: unit_data.insert_users(unit_data.user_rows(units), units))
        from zhaoshang.synthetic import records

        records.generate(spec, rng, units, step)
        from zhaoshang.core.models import DataVersion

        DataVersion.bump()  # rows went in without the change log: cached figures are stale
    return units


class Reporter:
    """Prints one line per table: rows written and seconds taken."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.started = time.perf_counter()

    def __call__(self, name, build):
        started = time.perf_counter()
        result = build()
        count = len(result) if hasattr(result, "__len__") else result
        self.stdout.write(f"{name:<14} {count:>10,} rows {time.perf_counter() - started:8.1f}s")
        return result

    def total(self):
        self.stdout.write(f"total {time.perf_counter() - self.started:.1f}s")

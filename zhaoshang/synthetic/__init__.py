"""Plausible synthetic data for demos and benchmarks (`manage.py generate`).

Everything is drawn from one seeded random generator, so a scale and a seed always give
the same data. Rows are written in bulk with executemany, bypassing model signals: a
generated data set is a bulk load, like an import, and writes no change-log entries.
"""

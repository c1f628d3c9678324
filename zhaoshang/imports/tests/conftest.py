import pytest

from zhaoshang.imports.declarations import RECORD_TYPES
from zhaoshang.imports.engine import Engine
from zhaoshang.imports.models import ImportBatch


@pytest.fixture
def run_import():
    """run_import(path, user, record_type="project", commit=True) -> (plan, batch or None)."""

    def _run(path, user, record_type="project", commit=True, columns=None, default_unit=None):
        engine = Engine(RECORD_TYPES[record_type], user, default_unit=default_unit)
        header = engine.read(path)
        plan = engine.validate(columns or header.columns)
        batch = None
        if commit and plan.ok:
            batch = ImportBatch.objects.create(
                record_type=record_type,
                file_name=path.name,
                sha256="-",
                file_format="test",
                unit=user.unit,
                user=user,
            )
            engine.commit(plan, batch)
        return plan, batch

    return _run

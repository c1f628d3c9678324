"""Small helpers to declare pipeline records in the test world."""

import datetime

from zhaoshang.pipeline import stages
from zhaoshang.pipeline.models import Project


def make_project(unit, name="测试项目", stage="lead", date=None, user=None, **fields):
    project = Project.objects.create(name=name, responsible_unit=unit, stage=stage, **fields)
    stages.record_start(project, date or datetime.date(2026, 1, 5), user)
    return project

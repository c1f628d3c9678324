"""Stage moves: the one table of allowed moves, reasons, dates, milestones and durations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhaoshang.pipeline import stages
from zhaoshang.pipeline.choices import Stage
from zhaoshang.pipeline.models import Milestone, Project
from zhaoshang.pipeline.tests.factories import make_project

D = datetime.date


def test_forward_moves_record_dated_milestones_and_may_skip_stages(world):
    project = make_project(world.street_a, date=D(2026, 1, 5))
    stages.move(project, Stage.NEGOTIATING, D(2026, 2, 1), world.reporter_a)
    stages.move(project, Stage.SIGNED, D(2026, 3, 1), world.reporter_a)
    milestone = stages.move(project, Stage.STARTED, D(2026, 4, 5), world.reporter_a)
    project.refresh_from_db()
    assert project.stage == Stage.STARTED
    assert milestone.from_stage == Stage.SIGNED
    assert milestone.recorded_by == world.reporter_a and milestone.recorded_at is not None
    assert [m.stage for m in project.milestones.all()] == [
        "lead",
        "negotiating",
        "signed",
        "started",
    ]


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (Stage.LEAD, Stage.NEGOTIATING, True),
        (Stage.SIGNED, Stage.LANDED, True),
        (Stage.STARTED, Stage.CONTINUING, True),
        (Stage.CONTINUING, Stage.COMPLETED, True),
        (Stage.LEAD, Stage.CONTINUING, False),
        (Stage.SIGNED, Stage.SIGNED, False),
        (Stage.COMPLETED, Stage.CONTINUING, False),
    ],
)
def test_the_move_table(start, target, allowed):
    assert (stages.move_kind(start, target) is not None) is allowed


def test_disallowed_move_is_refused_in_chinese_and_nothing_is_written(world):
    project = make_project(world.street_a, stage=Stage.LEAD)
    with pytest.raises(ValidationError) as exc:
        stages.move(project, Stage.CONTINUING, D(2026, 2, 1), world.reporter_a)
    assert "不能从" in exc.value.message_dict["stage"][0]
    project.refresh_from_db()
    assert project.stage == Stage.LEAD
    assert project.milestones.count() == 1


def test_moving_back_needs_a_reason(world):
    project = make_project(world.street_a, stage=Stage.SIGNED)
    with pytest.raises(ValidationError) as exc:
        stages.move(project, Stage.NEGOTIATING, D(2026, 2, 1), world.reporter_a, reason="  ")
    assert "原因" in exc.value.message_dict["reason"][0]
    stages.move(project, Stage.NEGOTIATING, D(2026, 2, 1), world.reporter_a, reason="合同重谈")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    assert project.milestones.last().reason == "合同重谈"


def test_terminating_from_any_stage_needs_a_reason(world):
    for stage in (Stage.LEAD, Stage.STARTED, Stage.CONTINUING):
        project = make_project(world.street_a, stage=stage)
        with pytest.raises(ValidationError) as exc:
            stages.move(project, Stage.TERMINATED, D(2026, 2, 1), world.reporter_a)
        assert "终止" in exc.value.message_dict["reason"][0]
        stages.move(project, Stage.TERMINATED, D(2026, 2, 1), world.reporter_a, reason="资金链断")
        project.refresh_from_db()
        assert project.stage == Stage.TERMINATED


def test_future_date_is_refused_past_date_accepted(world):
    project = make_project(world.street_a, date=D(2025, 1, 1))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        stages.move(project, Stage.NEGOTIATING, tomorrow, world.reporter_a)
    assert "未来" in exc.value.message_dict["date"][0]
    stages.move(project, Stage.NEGOTIATING, D(2025, 3, 1), world.reporter_a)
    assert project.milestones.count() == 2


def test_forward_move_dated_before_the_previous_milestone_is_refused(world):
    project = make_project(world.street_a, date=D(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        stages.move(project, Stage.SIGNED, D(2026, 2, 1), world.reporter_a)
    assert "2026-03-01" in exc.value.message_dict["date"][0]


def test_durations_between_stages_including_same_day(world):
    project = make_project(world.street_a, stage=Stage.NEGOTIATING, date=D(2026, 1, 10))
    stages.move(project, Stage.SIGNED, D(2026, 3, 1), world.reporter_a)
    stages.move(project, Stage.LANDED, D(2026, 3, 1), world.reporter_a)
    stages.move(project, Stage.STARTED, D(2026, 4, 5), world.reporter_a)
    steps = stages.timeline(Milestone.objects.filter(project=project))
    assert [s.days_since_previous for s in steps] == [None, 50, 0, 35]
    assert steps[2].same_day
    spans = {(str(a), str(b)): days for a, b, days in stages.key_spans(project.milestones.all())}
    assert spans[("签约", "开工")] == 35
    assert spans[("签约", "落地")] == 0
    assert stages.span_label(0) == "当天"
    assert stages.span_label(35) == "35天"


def test_project_page_shows_timeline_with_durations(world, login):
    project = make_project(world.street_a, stage=Stage.NEGOTIATING, date=D(2026, 1, 10))
    stages.move(project, Stage.SIGNED, D(2026, 3, 1), world.reporter_a)
    stages.move(project, Stage.LANDED, D(2026, 3, 1), world.reporter_a)
    stages.move(project, Stage.STARTED, D(2026, 4, 5), world.reporter_a)
    html = login(world.reporter_a).get(project.get_absolute_url()).content.decode()
    assert "签约即落地" in html
    assert "落地 → 开工：35天" in html
    assert "签约→开工 35天" in html


def test_stage_move_page_refuses_back_move_without_reason_and_keeps_input(world, login):
    project = make_project(world.street_a, stage=Stage.SIGNED, date=D(2026, 1, 10))
    client = login(world.reporter_a)
    url = reverse("pipeline:project_move", args=[project.pk])
    response = client.post(url, {"stage": "negotiating", "date": "2026-02-01", "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "退回" in html and 'value="2026-02-01"' in html
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.milestones.count() == 1
    response = client.post(url, {"stage": "landed", "date": "2026-02-01", "reason": ""})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.LANDED


def test_new_project_gets_a_code_and_first_milestone(world, login):
    client = login(world.reporter_a)
    response = client.post(
        reverse("pipeline:project_add"),
        {
            "name": "新材料产业园",
            "code": "",
            "stage": "negotiating",
            "stage_date": "2026-01-20",
            "responsible_unit": world.street_a.pk,
            "total_investment": "12000",
            "talent_national": "1",
            "talent_provincial": "0",
            "talent_municipal": "0",
            "talent_phd": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(name="新材料产业园")
    assert project.code == f"P{timezone.localdate().year}-{project.pk:06d}"
    assert [(m.stage, m.date) for m in project.milestones.all()] == [
        ("negotiating", D(2026, 1, 20))
    ]
    # A duplicate code is refused with a Chinese message.
    response = client.post(
        reverse("pipeline:project_add"),
        {
            "name": "另一个",
            "code": project.code,
            "stage": "lead",
            "stage_date": "2026-01-20",
            "responsible_unit": world.street_a.pk,
            "talent_national": "0",
            "talent_provincial": "0",
            "talent_municipal": "0",
            "talent_phd": "0",
        },
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert not Project.objects.filter(name="另一个").exists()


def test_milestone_ledger_lists_moves_in_a_date_range_within_scope(world, login):
    import datetime

    from django.urls import reverse

    from zhaoshang.pipeline import stages
    from zhaoshang.pipeline.models import Project

    mine = Project.objects.create(name="东湖甲", responsible_unit=world.street_a, stage="lead")
    stages.record_start(mine, datetime.date(2026, 3, 1), world.reporter_a)
    stages.move(mine, "negotiating", datetime.date(2026, 3, 10), world.reporter_a)
    other = Project.objects.create(name="西山乙", responsible_unit=world.street_b, stage="lead")
    stages.move(other, "negotiating", datetime.date(2026, 3, 11), world.reporter_b)
    url = reverse("pipeline:milestone_list")
    query = {"moves": "true", "date_from": "2026-03-05", "date_until": "2026-03-31"}
    response = login(world.reporter_a).get(url, query)
    rows = [(r.record.project.name, r.record.stage) for r in response.context["table"].rows]
    assert rows == [("东湖甲", "negotiating")]  # not the start, not street B's move
    response = login(world.bureau).get(url, query)
    assert response.context["table"].paginator.count == 2
    assert "add_url" in response.context and response.context["add_url"] is None

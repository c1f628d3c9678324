"""The project lifecycle: which stage moves are allowed, and recording them as milestones.

    lead → negotiating → signed → registered → landed → started → completed

A move forward may skip stages and several moves may share one date (签约即落地).
Continuing (续建) is for projects carried over from earlier years; terminated (终止) is
reachable from any stage. Moving back to an earlier stage, terminating and reopening a
terminated project need a reason. Every move records a dated Milestone.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.pipeline.choices import LIFECYCLE, Stage

FORWARD, BACK, TERMINATE, REOPEN = "forward", "back", "terminate", "reopen"
NEEDS_REASON = {BACK, TERMINATE, REOPEN}


def _build_moves():
    """{from stage: {to stage: kind of move}} — the one table of allowed moves."""
    moves = {}
    for i, stage in enumerate(LIFECYCLE):
        moves[stage] = {later: FORWARD for later in LIFECYCLE[i + 1 :]}
        moves[stage].update({earlier: BACK for earlier in LIFECYCLE[:i]})
        moves[stage][Stage.TERMINATED] = TERMINATE
    # Construction carried over from earlier years: a project past signing may continue.
    for stage in (Stage.SIGNED, Stage.REGISTERED, Stage.LANDED, Stage.STARTED):
        moves[stage][Stage.CONTINUING] = FORWARD
    moves[Stage.CONTINUING] = {
        Stage.COMPLETED: FORWARD,
        Stage.TERMINATED: TERMINATE,
        **{stage: BACK for stage in LIFECYCLE[:-1]},
    }
    moves[Stage.TERMINATED] = {stage: REOPEN for stage in (*LIFECYCLE, Stage.CONTINUING)}
    return moves


MOVES = _build_moves()


def move_kind(from_stage, to_stage):
    """The kind of the move (forward, back, terminate, reopen), or None if not allowed."""
    return MOVES.get(from_stage, {}).get(to_stage)


def allowed_targets(from_stage):
    return [stage for stage in Stage if stage in MOVES.get(from_stage, {})]


def check_move(project, to_stage, date, reason=""):
    """Raise ValidationError (Chinese message, keyed by form field) if the move is refused."""
    errors = {}
    kind = move_kind(project.stage, to_stage)
    if kind is None:
        errors["stage"] = _("A project cannot move from “%(from)s” to “%(to)s”.") % {
            "from": Stage(project.stage).label,
            "to": Stage(to_stage).label,
        }
    elif kind in NEEDS_REASON and not (reason or "").strip():
        if kind == TERMINATE:
            errors["reason"] = _("Terminating a project needs a reason.")
        else:
            errors["reason"] = _("Moving a project back to an earlier stage needs a reason.")
    if date is None:
        errors["date"] = _("Enter the date of the stage.")
    elif date > timezone.localdate():
        errors["date"] = _("The date of a stage cannot be in the future.")
    else:
        last = project.milestones.order_by("-date", "-id").first() if project.pk else None
        if last is not None and date < last.date and kind == FORWARD:
            errors["date"] = _(
                "The date cannot be earlier than the previous stage (%(stage)s, %(date)s)."
            ) % {"stage": last.get_stage_display(), "date": f"{last.date:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    return kind


def move(project, to_stage, date, user, reason=""):
    """Move the project to `to_stage` on `date`, recording a Milestone; refuse a bad move."""
    from zhaoshang.pipeline.models import Milestone, Project

    with transaction.atomic():
        # Lock the row so two simultaneous moves cannot both start from the same stage.
        project = Project.objects.select_for_update().get(pk=project.pk)
        check_move(project, to_stage, date, reason)
        from_stage = project.stage
        project.stage = to_stage
        project.save(update_fields=["stage", "updated_at"])
        return Milestone.objects.create(
            project=project,
            stage=to_stage,
            from_stage=from_stage,
            date=date,
            reason=(reason or "").strip(),
            recorded_by=user,
            created_by=user,
        )


def record_start(project, date, user):
    """The first milestone of a new project: the stage it was created in."""
    from zhaoshang.pipeline.models import Milestone

    if date > timezone.localdate():
        raise ValidationError({"stage_date": _("The date of a stage cannot be in the future.")})
    return Milestone.objects.create(
        project=project, stage=project.stage, date=date, recorded_by=user, created_by=user
    )


@dataclass
class Step:
    milestone: object
    days_since_previous: int | None
    previous: object | None

    @property
    def same_day(self):
        return self.days_since_previous == 0


def timeline(milestones):
    """[Step] in date order, each with the days since the previous milestone."""
    steps = []
    previous = None
    for milestone in sorted(milestones, key=lambda m: (m.date, m.id)):
        days = (milestone.date - previous.date).days if previous is not None else None
        steps.append(Step(milestone, days, previous))
        previous = milestone
    return steps


def span_label(days):
    """“当天” for a same-day move, otherwise “N天”."""
    if days == 0:
        return str(gettext_lazy("same day"))
    return _("%(days)s days") % {"days": days}


def key_spans(milestones):
    """[(from label, to label, days)] between notable stages the project reached."""
    first = {}
    for milestone in sorted(milestones, key=lambda m: (m.date, m.id)):
        first.setdefault(milestone.stage, milestone)
    pairs = [
        (Stage.LEAD, Stage.SIGNED),
        (Stage.NEGOTIATING, Stage.SIGNED),
        (Stage.SIGNED, Stage.LANDED),
        (Stage.SIGNED, Stage.STARTED),
        (Stage.LANDED, Stage.STARTED),
        (Stage.STARTED, Stage.COMPLETED),
    ]
    spans = []
    for start, end in pairs:
        if start in first and end in first:
            days = (first[end].date - first[start].date).days
            if days >= 0:
                spans.append((Stage(start).label, Stage(end).label, days))
    return spans

"""The lead actions (verify, drop, convert into a project) and their rules, in one place:
the lead pages and the API both call these. A refused action raises ValidationError with
the message to show; the caller has already checked the scope and the role's rights."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.pipeline import forms, stages
from zhaoshang.pipeline.choices import LeadStatus
from zhaoshang.pipeline.models import Project


def verify(lead):
    """A new lead becomes verified."""
    if lead.status != LeadStatus.NEW:
        raise ValidationError(_("Only a new lead can be verified."))
    lead.status = LeadStatus.VERIFIED
    lead.save()
    return lead


def check_drop(lead):
    if lead.status not in (LeadStatus.NEW, LeadStatus.VERIFIED):
        raise ValidationError(_("Only a new or verified lead can be dropped."))


def drop(lead, reason):
    """A new or verified lead is dropped with a reason (`forms.LeadDropForm` checks it)."""
    check_drop(lead)
    lead.status = LeadStatus.DROPPED
    lead.drop_reason = reason
    lead.save()
    return lead


def check_convert(lead):
    if lead.status != LeadStatus.VERIFIED:
        raise ValidationError(_("Only a verified lead can be converted into a project."))


def convert_form(lead, data=None, user=None):
    """The conversion form, its project prefilled from the lead."""
    initial = Project(
        name=lead.display_name,
        responsible_unit=lead.unit,
        investor=lead.enterprise,
        industry=lead.industry,
        total_investment=lead.intended_investment,
    )
    return forms.LeadConvertForm(data, instance=initial, user=user)


def convert(lead, form, user):
    """Save the valid conversion `form` as the lead's project at its first stage; the lead
    becomes converted. Returns the project."""
    check_convert(lead)
    with transaction.atomic():
        project = form.save(commit=False)
        project.lead = lead
        project.stage = form.cleaned_data["stage"]
        project.created_by = user
        project.save()
        stages.record_start(project, form.cleaned_data["stage_date"], user)
        lead.status = LeadStatus.CONVERTED
        lead.save()
    return project

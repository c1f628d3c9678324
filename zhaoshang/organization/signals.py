"""Disabling a user ends their sessions at once."""

from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from zhaoshang.organization.models import User


@receiver(post_save, sender=User, dispatch_uid="zs_end_sessions_of_disabled_user")
def end_sessions_of_disabled_user(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.is_active:
        return
    key = str(instance.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()

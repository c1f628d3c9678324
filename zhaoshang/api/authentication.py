"""Token authentication: `Authorization: Token <key>` (or `Bearer <key>`), never in the URL."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from zhaoshang.api.models import ApiToken, hash_token

# Query parameters that look like a credential: refused, because URLs end up in logs.
URL_CREDENTIALS = ("token", "access_token", "api_key", "apikey", "key", "auth")
LAST_USED_EVERY = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        if any(name in request.query_params for name in URL_CREDENTIALS):
            raise exceptions.AuthenticationFailed(
                _("Send the API token in the Authorization header, never in the URL.")
            )
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode("latin-1") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            plain = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid API token.")) from None
        token = (
            ApiToken.objects.usable()
            .select_related("user", "user__unit")
            .filter(key_hash=hash_token(plain))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked API token."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            # At most one write a minute per token, so reads stay reads.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session (Swagger UI, pages' scripts); CSRF-checked on writes."""

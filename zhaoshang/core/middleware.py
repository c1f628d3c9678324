"""Request-wide middleware: the change-log context and the login requirement."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

from zhaoshang.core import context


class RequestContextMiddleware:
    """Makes the acting user and their address known to the change log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.activate(
            context.ChangeContext(
                user=getattr(request, "user", None), ip=context.client_ip(request)
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.deactivate(token)


class LoginRequiredMiddleware:
    """Every page needs a logged-in user, except the few that are public by nature."""

    PUBLIC_PREFIXES = ("/login/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated or request.path.startswith(self.PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # the API answers 401/403 as JSON itself
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)

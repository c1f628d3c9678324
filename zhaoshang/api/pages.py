"""The logged-in user's API token pages (list, create, revoke) and the Swagger UI page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from zhaoshang.api.models import ApiToken

LIFETIMES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (365, gettext_lazy("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “city platform sync”."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("valid for"),
        choices=LIFETIMES,
        coerce=int,
        initial=90,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


@login_required
def tokens(request):
    """The user's tokens; a new token's key is shown on this answer only, never again."""
    form = TokenForm(request.POST or None)
    plain = None
    if request.method == "POST" and form.is_valid():
        token, plain = ApiToken.issue(
            request.user, form.cleaned_data["name"], form.cleaned_data["days"]
        )
        form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": rows, "plain": plain, "now": timezone.now()},
    )


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


@login_required
def swagger(request):
    return render(request, "api/swagger.html")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document, titled and described in the user's language; JSON unless
    YAML is asked for (`?format=yaml`), so that its errors are JSON too."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    schema = None  # the schema does not describe itself

    def get(self, request, *args, **kwargs):
        self.custom_settings = {
            "TITLE": _("Zhaoshang investment promotion platform API"),
            "DESCRIPTION": _(
                "Send a personal API token as `Authorization: Token <key>` (create one at "
                "/api/tokens/). Every list is limited to your unit scope: another unit's "
                "record answers 404. Lists take the same filters as the ledger pages, "
                "`ordering`, `page` and `page_size` (at most 500), and `brief=1` for only "
                "id and name. Updates need the version you read (ETag / If-Match, or a "
                "`version` field): a stale one answers 409. Errors are "
                '`{"errors": {"field": ["message"]}}`.'
            ),
        }
        return super().get(request, *args, **kwargs)

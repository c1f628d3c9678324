"""The comparison for bench_api.py: a bare Django view that runs the API's project-list
query (same token lookup, same unit scope, same 100 rows, same count) and returns the same
JSON with json.dumps. Served by gunicorn as `bench.bare_api:application`; never part of the
product's URLs. `bench_api.py --in-process` imports `projects` into an already set-up Django.
"""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")

from django.conf import settings  # noqa: E402

import zhaoshang.settings as base  # noqa: E402

if not settings.configured:  # served by gunicorn; `bench_api.py --in-process` imports it set up
    settings.configure(
        **{name: getattr(base, name) for name in dir(base) if name.isupper()}
        | {"ROOT_URLCONF": __name__},
    )

    import django

    django.setup()

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhaoshang.api.base import version_of  # noqa: E402
from zhaoshang.api.models import ApiToken, hash_token  # noqa: E402
from zhaoshang.api.views import ProjectViewSet  # noqa: E402
from zhaoshang.pipeline.models import Project  # noqa: E402
from zhaoshang.pipeline.views import ProjectViews  # noqa: E402

FIELDS = [
    name
    for name in ProjectViewSet.serializer_class.Meta.fields
    if name not in ("id", "display", "version", "stage_date")
]
FK = {f.name for f in Project._meta.fields if f.is_relation and f.name in FIELDS}


def plain(obj, name):
    if name in FK:
        return getattr(obj, f"{name}_id")
    value = getattr(obj, name)
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.isoformat()
    return str(value)  # Decimal, as DRF gives it


def projects(request):
    header = request.headers.get("Authorization", "").split()
    token = (
        ApiToken.objects.usable()
        .select_related("user", "user__unit")
        .filter(key_hash=hash_token(header[-1] if header else ""))
        .first()
    )
    if token is None:
        return HttpResponse(status=401)
    user = token.user
    scoped = Project.objects.visible_to(user)  # counted plain, shown decorated, as the API
    size = min(int(request.GET.get("page_size", 50)), 500)
    rows = list(ProjectViews.list_queryset(scoped)[:size])
    results = [
        {"id": p.pk, "display": str(p), "version": version_of(p)}
        | {name: plain(p, name) for name in FIELDS}
        for p in rows
    ]
    body = {"count": scoped.count(), "next": None, "previous": None, "results": results}
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")


urlpatterns = [path("api/pipeline/projects/", projects)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

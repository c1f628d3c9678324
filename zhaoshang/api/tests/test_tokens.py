"""Tokens: hashed, shown once, expiring, revocable, never in the URL; rate limit per token."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from zhaoshang.api.models import ApiToken, hash_token
from zhaoshang.api.tests.helpers import token_client


def client_with(plain):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    return client


def test_token_is_stored_hashed(world):
    token, plain = ApiToken.issue(world.reporter_a, "同步", 30)
    assert plain not in (token.key_hash, token.prefix) and token.key_hash == hash_token(plain)
    assert not ApiToken.objects.filter(key_hash=plain).exists()
    assert client_with(plain).get("/api/pipeline/projects/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_expired_revoked_and_wrong_tokens_are_401(world):
    token, plain = ApiToken.issue(world.reporter_a, "旧", 30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_with(plain).get("/api/pipeline/projects/").status_code == 401
    token, plain = ApiToken.issue(world.reporter_a, "撤销", 30)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert client_with(plain).get("/api/pipeline/projects/").status_code == 401
    assert client_with("zs_nonsense").get("/api/pipeline/projects/").status_code == 401
    world.reporter_a.is_active = False
    world.reporter_a.save()
    _token, plain = ApiToken.issue(world.reporter_a, "停用", 30)
    assert client_with(plain).get("/api/pipeline/projects/").status_code == 401


def test_token_in_query_string_is_refused(world):
    _token, plain = ApiToken.issue(world.reporter_a, "URL", 30)
    response = APIClient().get("/api/pipeline/projects/", {"token": plain})
    assert response.status_code == 401
    assert "errors" in response.json()
    # Even alongside a good header: the key has leaked into a URL.
    response = client_with(plain).get("/api/pipeline/projects/", {"api_key": plain})
    assert response.status_code == 401


def test_token_pages_create_show_once_and_revoke(world, login):
    client = login(world.reporter_a)
    response = client.post("/api/tokens/", {"name": "市平台同步", "days": "90"})
    assert response.status_code == 200
    plain = response.context["plain"]
    assert plain.startswith("zs_") and plain in response.content.decode()
    token = ApiToken.objects.get(user=world.reporter_a)
    assert plain not in client.get("/api/tokens/").content.decode()
    assert client_with(plain).get("/api/pipeline/projects/").status_code == 200
    # Another user cannot revoke it.
    other = login(world.reporter_b)
    assert other.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    client = login(world.reporter_a)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert client_with(plain).get("/api/pipeline/projects/").status_code == 401


def test_token_pages_need_login(db):
    response = APIClient().get("/api/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_rate_limit_is_per_token_with_retry_after(world):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "api": "3/min"}
    with override_settings(REST_FRAMEWORK={**_rest(), "DEFAULT_THROTTLE_RATES": rates}):
        first, second = token_client(world.reporter_a), token_client(world.reporter_a)
        codes = [first.get("/api/pipeline/projects/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = first.get("/api/pipeline/projects/")
        assert limited.status_code == 429
        assert 1 <= int(limited["Retry-After"]) <= 60
        assert "errors" in limited.json()
        assert second.get("/api/pipeline/projects/").status_code == 200


def _rest():
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)


def test_schema_and_docs(world, login):
    assert APIClient().get("/api/schema/").status_code == 401
    client = token_client(world.reporter_a)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/pipeline/projects/{id}/move/" in schema["paths"]
    assert "/api/pipeline/leads/bulk/" in schema["paths"]
    page = login(world.reporter_a).get("/api/docs/").content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "validatorUrl: null" in page
    assert "unpkg" not in page and "cdn" not in page.lower()


def test_rate_count_is_shared_between_workers_in_batches(world):
    """A limit of 300 an hour is added to the shared count 3 requests at a time; what the
    other workers added is read at each batch, so the limit holds to within a batch."""
    import time

    from zhaoshang.api.models import RateWindow
    from zhaoshang.api.throttling import shared_add

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "api": "300/hour"}
    with override_settings(REST_FRAMEWORK={**_rest(), "DEFAULT_THROTTLE_RATES": rates}):
        token, plain = ApiToken.issue(world.reporter_a, "批量", 30)
        client = client_with(plain)
        key, window = f"token:{token.pk}", int(time.time() // 3600)
        assert client.get("/api/organization/units/").status_code == 200
        assert RateWindow.objects.get(key=key, window=window).count == 1
        shared_add(key, window, 296)  # what the other workers counted meanwhile
        allowed = 0
        while client.get("/api/organization/units/").status_code == 200:
            allowed += 1
            assert allowed <= 4
        assert 2 <= allowed
        assert RateWindow.objects.get(key=key, window=window).count <= 301

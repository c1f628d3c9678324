"""Login protection: password rules, idle timeout, disabling a user, lockout, Chinese errors."""

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhaoshang.core.testing import PASSWORD
from zhaoshang.organization.models import User


@pytest.mark.parametrize(
    "password,reason",
    [
        ("short-1A", "至少需要 10 个字符"),
        ("reporter_a1", "相似"),
        ("password123", "常见"),
        ("3141592653589", "只包含数字"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(world, password, reason):
    with pytest.raises(ValidationError) as excinfo:
        password_validation.validate_password(password, world.reporter_a)
    assert any(reason in message for message in excinfo.value.messages), excinfo.value.messages


def test_user_form_refuses_a_weak_password_and_keeps_what_was_typed(world, login):
    client = login(world.admin)
    response = client.post(
        reverse("organization:user_add"),
        {
            "username": "zhangsan",
            "full_name": "张三",
            "unit": world.street_a.pk,
            "is_active": "on",
            "roles": ["reporter"],
            "new_password": "zhangsan1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "密码" in html and 'value="张三"' in html and 'value="zhangsan"' in html
    assert not User.objects.filter(username="zhangsan").exists()


def test_idle_session_timeout_is_configurable_and_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def log_in(client, username, password=PASSWORD):
    """Log in through the real login view (axes needs the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_admin_disables_a_user_who_then_cannot_log_in(world, login):
    from django.test import Client

    admin_client = login(world.admin)
    admin_client.post(
        reverse("organization:user_edit", args=[world.reporter_b.pk]),
        {
            "username": "reporter_b",
            "full_name": "",
            "unit": world.street_b.pk,
            "roles": ["reporter"],
        },  # is_active unchecked
    )
    world.reporter_b.refresh_from_db()
    assert world.reporter_b.is_active is False
    assert not log_in(Client(), "reporter_b")


def test_disabled_users_open_session_stops_working(world):
    from django.test import Client

    browser = Client()
    assert log_in(browser, "reporter_b")
    assert browser.get(reverse("home")).status_code == 200
    user = User.objects.get(username="reporter_b")
    user.is_active = False
    user.save()
    response = browser.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_pages_need_login_and_say_so_in_chinese(client, world):
    response = client.get(reverse("organization:unit_list"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = client.get("/login/").content.decode()
    assert "用户名" in page and "密码" in page and "登录" in page


def test_wrong_password_error_is_chinese(client, world):
    response = client.post(reverse("login"), {"username": "reporter_a", "password": "nope-nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in html or "用户名或密码" in html


def test_fifth_failure_locks_the_account_even_for_the_right_password(client, world):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "reporter_a", "password": "x" * 12})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "reporter_a", "password": "x" * 12})
    assert response.status_code == 429
    response = client.post(reverse("login"), {"username": "reporter_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "账户已被锁定" in response.content.decode()
    # Another user from the same address is not locked.
    response = client.post(reverse("login"), {"username": "reporter_b", "password": PASSWORD})
    assert response.status_code == 302


def test_unknown_record_answers_chinese_404(world, login):
    response = login(world.reporter_a).get("/org/units/999999/")
    assert response.status_code == 404
    assert "不在您的查看范围内" in response.content.decode()

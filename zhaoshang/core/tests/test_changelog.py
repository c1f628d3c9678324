"""The change log: one entry per change, with before/after, user, address; no secrets."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from zhaoshang.core.models import ChangeLogEntry
from zhaoshang.organization.models import Unit, User


def entries_for(obj):
    ct = ContentType.objects.get_for_model(obj)
    return ChangeLogEntry.objects.filter(content_type=ct, object_id=str(obj.pk))


def test_editing_a_unit_writes_exactly_one_entry_with_before_and_after(world, login):
    client = login(world.bureau)
    unit = world.street_a
    before = entries_for(unit).count()
    response = client.post(
        reverse("organization:unit_edit", args=[unit.pk]),
        {
            "name": "东湖街道办事处",
            "code": "A",
            "kind": "street",
            "parent": world.district.pk,
            "is_active": "on",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    new = entries_for(unit).order_by("id")[before:]
    assert len(new) == 1
    entry = new[0]
    assert entry.action == "update"
    assert entry.changes == {"name": ["东湖街道", "东湖街道办事处"]}
    assert entry.user == world.bureau and entry.username == "bureau"
    assert entry.ip == "10.1.2.3"
    assert entry.unit == unit
    # The record's page shows it.
    page = client.get(unit.get_absolute_url()).content.decode()
    assert "东湖街道办事处" in page and "<del>东湖街道</del>" in page


def test_saving_without_changes_writes_nothing(world):
    unit = Unit.objects.get(pk=world.street_a.pk)
    before = ChangeLogEntry.objects.count()
    unit.save()
    assert ChangeLogEntry.objects.count() == before


def test_create_and_delete_are_logged_with_values(world, login):
    client = login(world.admin)
    client.post(
        reverse("organization:unit_add"),
        {
            "name": "新建园区",
            "code": "NEWPARK",
            "kind": "park",
            "parent": world.district.pk,
            "is_active": "on",
        },
    )
    unit = Unit.objects.get(code="NEWPARK")
    created = entries_for(unit).get()
    assert created.action == "create"
    assert created.changes["name"] == [None, "新建园区"]
    assert created.changes["parent"] == [None, "临江区"]
    client.post(reverse("organization:unit_delete", args=[unit.pk]))
    deleted = ChangeLogEntry.objects.filter(object_id=str(unit.pk), action="delete").get()
    assert deleted.changes["name"] == ["新建园区", None]
    assert deleted.unit == world.district


def test_password_and_roles(world, login):
    client = login(world.admin)
    target = world.viewer_b
    response = client.post(
        reverse("organization:user_edit", args=[target.pk]),
        {
            "username": target.username,
            "full_name": "孙丽",
            "unit": world.street_b.pk,
            "is_active": "on",
            "roles": ["reporter"],
            "new_password": "Plum-orchard-4471",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Plum-orchard-4471")
    logged = list(entries_for(target).order_by("id"))
    text = repr([e.changes for e in logged])
    assert "password" not in text and "Plum-orchard" not in text and "md5$" not in text
    changes = {k: v for e in logged for k, v in e.changes.items()}
    assert changes["full_name"] == ["", "孙丽"]
    assert changes["groups"] == [["viewer"], ["reporter"]]


def test_logins_and_failures_are_logged_without_password(world, client):
    client.post(reverse("login"), {"username": "reporter_a", "password": "wrong-secret-1"})
    failed = ChangeLogEntry.objects.filter(action="login_failed").get()
    assert failed.username == "reporter_a"
    assert "wrong-secret-1" not in repr(failed.changes)
    from zhaoshang.core.testing import PASSWORD

    client.post(reverse("login"), {"username": "reporter_a", "password": PASSWORD})
    ok = ChangeLogEntry.objects.filter(action="login").get()
    assert ok.user == world.reporter_a and ok.unit == world.street_a


def test_global_log_filters_and_scope(world, login):
    client = login(world.admin)
    client.post(
        reverse("organization:unit_edit", args=[world.other_street.pk]),
        {
            "name": "海港街道（新）",
            "code": "E1",
            "kind": "street",
            "parent": world.other_district.pk,
            "is_active": "on",
        },
    )
    client.post(
        reverse("organization:unit_edit", args=[world.street_b.pk]),
        {
            "name": "西山街道（新）",
            "code": "B",
            "kind": "street",
            "parent": world.district.pk,
            "is_active": "on",
        },
    )
    url = reverse("core:changelog")

    def shown(client, **params):
        response = client.get(url, params)
        return {row.record.object_repr for row in response.context["table"].page.object_list}

    everything = shown(client)
    assert {"海港街道（新）", "西山街道（新）"} <= everything
    only_b = shown(client, within=world.street_b.pk)
    assert "西山街道（新）" in only_b and "海港街道（新）" not in only_b
    assert shown(client, username="nobody") == set()
    assert "西山街道（新）" in shown(client, username="admin", action="update")
    # The bureau of district D sees its district's changes, not the other district's.
    bureau_view = shown(login(world.bureau))
    assert "西山街道（新）" in bureau_view and "海港街道（新）" not in bureau_view
    # A reporter has no global log.
    assert login(world.reporter_a).get(url).status_code == 403


def test_user_model_is_logged(world):
    user = User.objects.get(pk=world.reporter_b.pk)
    before = entries_for(user).count()
    user.save()
    assert entries_for(user).count() == before, "a save without changes writes nothing"
    user.title = "经发办副主任"
    user.save()
    assert entries_for(user).order_by("-id").first().changes == {"title": ["", "经发办副主任"]}

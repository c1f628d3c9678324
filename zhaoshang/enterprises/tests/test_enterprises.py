"""Enterprises and contacts: credit code, normalised names, duplicate offer, search,
phone masking per role, and the unit scope (records in sibling streets A and B)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhaoshang.core.views import record_history
from zhaoshang.enterprises.models import Contact, Enterprise
from zhaoshang.enterprises.normalize import normalize_name
from zhaoshang.enterprises.privacy import mask_phone, phone_for
from zhaoshang.enterprises.validators import validate_credit_code

VALID_CODE = "91110000600037341L"
OTHER_VALID_CODE = "91320594MA1MXX8N1P"
HENGRUI = "苏州恒锐精密机械有限公司"


def make_enterprise(unit, name=HENGRUI, **fields):
    return Enterprise.objects.create(unit=unit, name=name, **fields)


def form_data(unit, **overrides):
    data = {
        "name": "江州新材料科技有限公司",
        "credit_code": "",
        "unit": unit.pk,
        "former_names": "",
        "industry": "C",
        "registered_capital": "5000",
        "province": "江苏省",
        "city": "苏州市",
        "county": "吴中区",
        "website": "",
        "notes": "",
    }
    data.update(overrides)
    return data


# --- credit code -------------------------------------------------------------------


def test_valid_credit_code_passes():
    validate_credit_code(VALID_CODE)
    validate_credit_code(OTHER_VALID_CODE)


@pytest.mark.parametrize(
    "code,expected",
    [
        ("91110000600037341X", "校验位"),
        ("9111000060003734", "18"),
        ("911100006000373I1L", "统一社会信用代码"),
    ],
)
def test_invalid_credit_code_gives_chinese_error(code, expected):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert expected in " ".join(excinfo.value.messages)


@pytest.mark.django_db
def test_credit_code_is_stored_compact_upper_case(world):
    enterprise = make_enterprise(world.street_a, credit_code="9111 0000 6000 3734 1l")
    assert enterprise.credit_code == VALID_CODE


# --- normalised names --------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "蘇州恆銳精密機械有限公司",  # traditional
        "苏州恒锐精密机械有限责任公司",  # suffix variant
        "苏州恒锐精密机械股份有限公司",  # suffix variant
        "蘇州恆銳精密機械股份有限公司",  # both
        " 苏州 恒锐精密机械 有限公司 ",  # whitespace
        "\u3000苏州恒锐精密机械有限公司\u3000",  # ideographic (full-width) spaces
    ],
)
def test_normalize_name_variants_are_the_same(variant):
    assert normalize_name(variant) == normalize_name(HENGRUI)


def test_normalize_full_width_and_brackets():
    assert normalize_name("ＡＢＣ（苏州）有限公司") == normalize_name("ABC(苏州)有限公司")
    assert normalize_name("ABC【苏州】有限公司") == normalize_name("abc(苏州)有限公司")
    assert normalize_name("苏州恒锐") != normalize_name("苏州恒瑞")


@pytest.mark.django_db
def test_normalized_name_is_maintained_on_save_and_not_logged(world):
    enterprise = make_enterprise(world.street_a, name="蘇州恆銳精密機械有限責任公司")
    assert enterprise.normalized_name == "苏州恒锐精密机械有限公司"
    enterprise.name = "苏州恒锐精工有限公司"
    enterprise.save()
    enterprise.refresh_from_db()
    assert enterprise.normalized_name == "苏州恒锐精工有限公司"
    entry = [e for e in record_history(enterprise) if e.action == "update"][0]
    assert set(entry.changes) == {"name"}


# --- adding through the form ---------------------------------------------------------


@pytest.mark.django_db
def test_reporter_adds_enterprise_in_own_unit(world, login):
    client = login(world.reporter_a)
    response = client.post(
        reverse("enterprises:enterprise_add"),
        form_data(world.street_a, credit_code=VALID_CODE.lower(), tags=["fortune_global_500"]),
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert enterprise.credit_code == VALID_CODE
    assert enterprise.registered_capital == Decimal("5000")
    assert enterprise.fortune_global_500 and not enterprise.listed
    assert enterprise.created_by == world.reporter_a
    assert [e.action for e in record_history(enterprise)] == ["create"]


@pytest.mark.django_db
def test_bad_credit_code_writes_nothing_and_keeps_typed_values(world, login):
    client = login(world.reporter_a)
    response = client.post(
        reverse("enterprises:enterprise_add"),
        form_data(world.street_a, credit_code="91110000600037341X"),
    )
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    html = response.content.decode()
    assert "校验位" in html
    assert 'value="江州新材料科技有限公司"' in html
    assert 'value="91110000600037341X"' in html


@pytest.mark.django_db
def test_reporter_cannot_add_in_sibling_street(world, login):
    client = login(world.reporter_a)
    response = client.post(reverse("enterprises:enterprise_add"), form_data(world.street_b))
    assert response.status_code == 200
    assert not Enterprise.objects.exists()


# --- duplicate offer ---------------------------------------------------------------


@pytest.mark.django_db
def test_same_credit_code_offers_the_existing_enterprise(world, login):
    existing = make_enterprise(world.street_a, credit_code=VALID_CODE)
    client = login(world.reporter_a)
    response = client.post(
        reverse("enterprises:enterprise_add"),
        form_data(world.street_a, name="完全不同的名字有限公司", credit_code=VALID_CODE),
    )
    assert response.status_code == 200
    assert Enterprise.objects.count() == 1
    html = response.content.decode()
    assert f'href="{existing.get_absolute_url()}"' in html
    assert "已登记" in html


@pytest.mark.django_db
def test_same_normalised_name_offers_the_existing_enterprise(world, login):
    existing = make_enterprise(world.street_a)
    client = login(world.reporter_a)
    response = client.post(
        reverse("enterprises:enterprise_add"),
        form_data(world.street_a, name="蘇州恆銳精密機械股份有限公司"),
    )
    assert response.status_code == 200
    assert Enterprise.objects.count() == 1
    assert f'href="{existing.get_absolute_url()}"' in response.content.decode()


@pytest.mark.django_db
def test_duplicate_in_another_unit_is_reported_without_details(world, login):
    existing = make_enterprise(world.street_b, credit_code=VALID_CODE, notes="机密备注")
    client = login(world.reporter_a)
    response = client.post(
        reverse("enterprises:enterprise_add"),
        form_data(world.street_a, name="苏州恒锐精密机械有限责任公司"),
    )
    assert response.status_code == 200
    assert Enterprise.objects.count() == 1
    html = response.content.decode()
    assert "其他单位" in html
    assert existing.get_absolute_url() not in html
    response = client.post(
        reverse("enterprises:enterprise_add"),
        form_data(world.street_a, credit_code=VALID_CODE),
    )
    assert "其他单位" in response.content.decode()
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_editing_keeps_own_name_and_code_and_sets_tags(world, login):
    enterprise = make_enterprise(world.street_a, credit_code=VALID_CODE, above_scale=True)
    client = login(world.reporter_a)
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    assert client.get(url).context["form"]["tags"].value() == ["above_scale"]
    response = client.post(
        url,
        form_data(
            world.street_a, name=HENGRUI, credit_code=VALID_CODE, notes="已回访", tags=["listed"]
        ),
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.notes == "已回访"
    assert enterprise.listed and not enterprise.above_scale


@pytest.mark.django_db
def test_add_form_proposes_the_users_unit(world, login):
    form = login(world.reporter_a).get(reverse("enterprises:enterprise_add")).context["form"]
    assert form["unit"].value() == world.street_a.pk
    assert list(form.fields["unit"].queryset.values_list("code", flat=True)) == ["A", "A1"]


# --- search and filters -------------------------------------------------------------


@pytest.fixture
def ledger(world):
    hengrui = make_enterprise(
        world.street_a,
        former_names="吴中精机厂\n蘇州恆銳機電有限公司",
        industry="C",
        registered_capital=Decimal("8000"),
        above_scale=True,
        high_tech=True,
    )
    bank = make_enterprise(
        world.street_a,
        name="江州农商银行股份有限公司",
        industry="J",
        registered_capital=Decimal("200000"),
        listed=True,
    )
    b_side = make_enterprise(
        world.street_b, name="西山远航物流有限公司", industry="G", above_scale=True
    )
    return {"hengrui": hengrui, "bank": bank, "b": b_side}


def listed_names(client, **params):
    response = client.get(reverse("enterprises:enterprise_list"), params)
    assert response.status_code == 200
    return sorted(str(row.record) for row in response.context["table"].rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["恒锐精密", "恆銳", "恆銳精密機械有限責任公司", "吴中精机", "恆銳機電"]
)
def test_search_matches_fragments_simplified_or_traditional_and_former_names(
    ledger, world, login, query
):
    client = login(world.bureau)
    assert listed_names(client, q=query) == [HENGRUI]


@pytest.mark.django_db
def test_search_by_credit_code_fragment(world, login):
    make_enterprise(world.street_a, credit_code=VALID_CODE)
    assert listed_names(login(world.bureau), q="600037341l") == [HENGRUI]


@pytest.mark.django_db
def test_filters_industry_tags_capital_unit(ledger, world, login):
    client = login(world.bureau)
    assert listed_names(client, industry="J") == ["江州农商银行股份有限公司"]
    assert listed_names(client, tag="above_scale") == [HENGRUI, "西山远航物流有限公司"]
    assert listed_names(client, tag="high_tech") == [HENGRUI]
    assert listed_names(client, tag="above_scale", industry="G") == ["西山远航物流有限公司"]
    assert listed_names(client, capital_min="10000") == ["江州农商银行股份有限公司"]
    assert listed_names(client, capital_min="1000", capital_max="10000") == [HENGRUI]
    assert listed_names(client, within=world.street_b.pk) == ["西山远航物流有限公司"]


# --- scope ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_reporter_sees_only_own_street(ledger, world, login):
    client = login(world.reporter_a)
    assert listed_names(client) == sorted([HENGRUI, "江州农商银行股份有限公司"])
    assert listed_names(client, q="恒锐") == [HENGRUI]
    b_side = ledger["b"]
    for action in ("detail", "edit", "delete"):
        url = reverse(f"enterprises:enterprise_{action}", args=[b_side.pk])
        assert client.get(url).status_code == 404, action
    delete_url = reverse("enterprises:enterprise_delete", args=[b_side.pk])
    assert client.post(delete_url).status_code == 404
    assert Enterprise.objects.filter(pk=b_side.pk).exists()
    assert client.get(ledger["hengrui"].get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_readers_may_not_write(ledger, world, login):
    for user in (world.leader, world.viewer_a):
        client = login(user)
        target = ledger["hengrui"]
        assert client.get(target.get_absolute_url()).status_code == 200
        assert client.get(reverse("enterprises:enterprise_add")).status_code == 403
        assert (
            client.get(reverse("enterprises:enterprise_edit", args=[target.pk])).status_code == 403
        )
    assert login(world.advisor_a).get(reverse("enterprises:enterprise_list")).status_code == 403
    # The other district's bureau sees nothing of district D.
    assert listed_names(login(world.bureau_e)) == []


# --- contacts and phone masking -----------------------------------------------------


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0512-66881234") == "051******1234"
    assert mask_phone("") == ""
    assert mask_phone("5678") == "**78"


@pytest.fixture
def contacts(ledger, world):
    a = Contact.objects.create(
        enterprise=ledger["hengrui"], name="王建国", title="总经理", phone="13812345678"
    )
    b = Contact.objects.create(enterprise=ledger["b"], name="李四", phone="13900001111")
    return {"a": a, "b": b}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,full",
    [
        ("bureau", True),
        ("reporter_a", True),
        ("leader", False),
        ("viewer_a", False),
    ],
)
def test_phone_is_masked_per_role_on_every_page(contacts, world, login, role, full):
    user = getattr(world, role)
    client = login(user)
    contact = contacts["a"]
    pages = [
        contact.get_absolute_url(),
        reverse("enterprises:contact_list"),
        contact.enterprise.get_absolute_url(),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "王建国" in html, url
        if full:
            assert "13812345678" in html, url
        else:
            assert "13812345678" not in html, url
            assert "138****5678" in html, url
    assert phone_for(user, contact) == ("13812345678" if full else "138****5678")


@pytest.mark.django_db
def test_contact_table_masks_for_export_and_without_user(contacts, world):
    from zhaoshang.enterprises.tables import ContactTable

    table = ContactTable(Contact.objects.all())
    row = {"pk": contacts["a"].pk}
    assert table.export_value_phone("13812345678", row, world.leader) == "138****5678"
    assert table.export_value_phone("13812345678", row, world.bureau) == "13812345678"
    # A table that knows no user masks.
    assert table.render_phone("13812345678", contacts["a"]) == "138****5678"
    assert ContactTable([], user=world.reporter_a).render_phone("", contacts["a"]) == (
        "13812345678"
    )


@pytest.mark.django_db
def test_phone_change_in_history_is_masked_for_leader(contacts, world, login):
    contact = contacts["a"]
    contact.phone = "13700002222"
    contact.save()
    html = login(world.leader).get(contact.get_absolute_url()).content.decode()
    assert "13700002222" not in html and "137****2222" in html
    assert "13812345678" not in html and "138****5678" in html
    html = login(world.bureau).get(contact.get_absolute_url()).content.decode()
    assert "13700002222" in html and "13812345678" in html


@pytest.mark.django_db
def test_contact_scope_follows_its_enterprise(contacts, world, login):
    client = login(world.reporter_a)
    response = client.get(reverse("enterprises:contact_list"))
    assert [row.record.name for row in response.context["table"].rows] == ["王建国"]
    for action in ("detail", "edit", "delete"):
        url = reverse(f"enterprises:contact_{action}", args=[contacts["b"].pk])
        assert client.get(url).status_code == 404, action
    # Street B's enterprise is not offered, and posting it is refused.
    form = client.get(reverse("enterprises:contact_add")).context["form"]
    assert list(form.fields["enterprise"].queryset.values_list("unit__code", flat=True)) == [
        "A",
        "A",
    ]
    response = client.post(
        reverse("enterprises:contact_add"),
        {"enterprise": contacts["b"].enterprise_id, "name": "张三", "phone": "13611112222"},
    )
    assert response.status_code == 200
    assert not Contact.objects.filter(name="张三").exists()
    # The change log files the contact under its enterprise's unit.
    entry = record_history(contacts["a"])[0]
    assert entry.unit == world.street_a


@pytest.mark.django_db
def test_contact_bad_phone_is_refused_in_chinese(contacts, world, login):
    client = login(world.reporter_a)
    response = client.post(
        reverse("enterprises:contact_add"),
        {"enterprise": contacts["a"].enterprise_id, "name": "张三", "phone": "打电话"},
    )
    assert response.status_code == 200
    assert "电话" in response.context["form"].errors["phone"][0]
    assert not Contact.objects.filter(name="张三").exists()


@pytest.mark.django_db
def test_enterprise_detail_lists_projects_in_scope(ledger, world, login):
    from zhaoshang.pipeline.models import Project

    Project.objects.create(
        name="恒锐精密二期", responsible_unit=world.street_a, investor=ledger["hengrui"]
    )
    Project.objects.create(
        name="恒锐西山仓储", responsible_unit=world.street_b, investor=ledger["hengrui"]
    )
    html = login(world.reporter_a).get(ledger["hengrui"].get_absolute_url()).content.decode()
    assert "恒锐精密二期" in html
    assert "恒锐西山仓储" not in html
    html = login(world.bureau).get(ledger["hengrui"].get_absolute_url()).content.decode()
    assert "恒锐精密二期" in html and "恒锐西山仓储" in html

"""Shared filters: the unit-subtree drop-down and multiple choices without DISTINCT."""

from django.urls import reverse


def test_unit_dropdown_lists_top_levels_but_accepts_any_visible_unit(world, login):
    client = login(world.admin)
    response = client.get(reverse("organization:user_list"))
    offered = {
        label for _value, label in response.context["filterset"].form.fields["within"].choices
    }
    assert {"江州市", "临江区", "东湖街道"} <= offered
    assert "东湖社区" not in offered  # three levels below the top
    response = client.get(reverse("organization:unit_list"), {"within": world.community_a.pk})
    assert response.status_code == 200
    shown = {row.record.code for row in response.context["table"].page.object_list}
    assert shown == {"A1"}
    offered = {label for _v, label in response.context["filterset"].form.fields["within"].choices}
    assert "东湖社区" in offered  # the chosen unit is offered so it shows as selected


def test_multiple_choice_on_a_row_field_adds_no_distinct(world, login):
    response = login(world.admin).get(
        reverse("organization:unit_list"), {"kind": ["street", "district"]}
    )
    assert response.status_code == 200
    queryset = response.context["table"].data.data
    assert "DISTINCT" not in str(queryset.query)
    assert {row.record.code for row in response.context["table"].page.object_list} == {
        "D",
        "A",
        "B",
        "E",
        "E1",
    }


def test_yes_no_filters_offer_all_yes_no_in_chinese(world, login):
    response = login(world.admin).get(reverse("organization:unit_list"))
    html = response.content.decode()
    assert '<option value="unknown" selected>全部</option>' in html
    response = login(world.admin).get(reverse("organization:unit_list"), {"is_active": "false"})
    assert response.context["table"].paginator.count == 0

"""The lists' rows are built from a plan compiled once per serializer (api/rows.py): each
row must be exactly what the serializer gives for the record (its detail answer)."""

from decimal import Decimal

from zhaoshang.api.tests.helpers import token_client
from zhaoshang.api.tests.test_scope_matrix import make_records
from zhaoshang.api.urls import router
from zhaoshang.pipeline.tests.factories import make_project


def test_every_list_row_is_the_serializers(world):
    make_records(world.street_a, 1)
    make_project(
        world.street_a,
        name="带金额的项目",
        total_investment=Decimal("12345.6"),
        contracted_fdi=Decimal("7"),
        returning_capital=True,
        expected_jobs=120,
    )
    checked = 0
    for client in (token_client(world.bureau), token_client(world.viewer_a)):
        for prefix, _viewset, _name in router.registry:
            listed = client.get(f"/api/{prefix}/", {"page_size": 500})
            if listed.status_code == 403:  # the role does not read these
                continue
            assert listed.status_code == 200, prefix
            for row in listed.json()["results"]:
                detail = client.get(f"/api/{prefix}/{row['id']}/").json()
                assert row == detail, prefix
                checked += 1
            brief = client.get(f"/api/{prefix}/", {"page_size": 500, "brief": "1"}).json()
            full = listed.json()["results"]
            assert brief["results"] == [{"id": r["id"], "display": r["display"]} for r in full]
    assert checked > 40

"""Schemathesis over the whole OpenAPI schema, in process against the WSGI application:
no 5xx, answers conform to the schema (bodies, status codes, content types), and every
operation refuses a call without credentials."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient

from zhaoshang.api.tests.helpers import token_client
from zhaoshang.api.tests.test_scope_matrix import make_records
from zhaoshang.wsgi import application

MAX_EXAMPLES = 5


@pytest.fixture
def schema(world):
    # Called in process, the WSGI app would close the test's database connection after
    # each request (Django's test client keeps it open the same way).
    loaded = _load(world)  # the test client reconnects the receivers after its request
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _load(world):
    document = token_client(world.admin).get("/api/schema/", {"format": "json"}).json()
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = application
    return loaded


def operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def test_fuzz_every_operation(world, schema):
    make_records(world.street_a, 1)
    make_records(world.street_b, 2)
    headers = {}
    client = token_client(world.bureau)
    headers["Authorization"] = client._credentials["HTTP_AUTHORIZATION"]
    used = checks()
    failures = []
    count = 0
    for operation in operations(schema):
        count += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=used)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert count > 30
    assert not failures, "\n\n".join(failures)


def test_every_operation_refuses_anonymous_calls(world, schema):
    anonymous = APIClient()
    for operation in operations(schema):
        path = operation.path.replace("{id}", "1")
        response = anonymous.generic(operation.method.upper(), path, "{}", "application/json")
        assert response.status_code == 401, (operation.label, response.status_code)
        assert "errors" in json.loads(response.content), operation.label


STATEFUL_SCENARIOS = 8
STATEFUL_STEPS = 4


def test_schema_declares_links(world, schema):
    document = token_client(world.admin).get("/api/schema/", {"format": "json"}).json()
    created = document["paths"]["/api/pipeline/projects/"]["post"]["responses"]["201"]
    assert set(created["links"]) == {"GetProject", "UpdateProject", "MoveProject"}
    bulk = document["paths"]["/api/pipeline/projects/bulk/"]["post"]["responses"]
    assert "201" in bulk


def test_stateful_links(world, schema):
    """Follow the declared links (create a project → read, update with its ETag, move; create
    a lead → read, verify → convert, drop), bounded to a few short scenarios. Creations get a
    valid body (random ones are refused before any link could be followed); the linked calls
    keep their generated bodies."""
    make_records(world.street_a, 1)
    client = token_client(world.bureau)
    headers = {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}
    valid = {
        "POST /api/pipeline/projects/": {
            "name": "状态机项目",
            "responsible_unit": world.street_a.pk,
            "stage": "lead",
            "stage_date": "2026-01-05",
        },
        "POST /api/pipeline/leads/": {
            "unit": world.street_a.pk,
            "enterprise_name": "状态机企业",
            "channel": "team",
            "summary": "有意向",
        },
    }
    used = checks()
    calls = []
    schema.config.phases.stateful.inference.algorithms = []  # only the declared links

    class Links(schema.as_state_machine()):
        def before_call(self, case):
            if case.operation.label in valid:
                case.body = dict(valid[case.operation.label])

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            calls.append((case.operation.label, response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=used)

    Links.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
    )
    print(sorted(set(calls)))
    followed = {label for label, code in calls if code < 400}
    assert {"POST /api/pipeline/projects/", "GET /api/pipeline/projects/{id}/"} <= followed
    assert all(code < 500 for _label, code in calls)

"""OpenAPI schema details: Chinese descriptions and tags, bulk bodies as lists."""

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import has_override
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field

BULK = ("bulk", "bulk_create", "bulk_update")


class ScopedAutoSchema(AutoSchema):
    def get_tags(self):
        model = getattr(self.view, "model", None)
        if model is not None:
            return [str(model._meta.verbose_name_plural)]
        return super().get_tags()

    def get_description(self):
        # The Chinese description of the endpoint, not the (English) docstrings. Not named
        # `description`: DRF's ViewSetMixin.as_view() sets that class attribute to None.
        return str(getattr(self.view, "api_description", "") or "")

    def get_override_parameters(self):
        params = super().get_override_parameters()
        action = getattr(self.view, "action", None)
        if action in ("update", "partial_update", "destroy"):
            required = _("Required, here or as `version` in the body.")
            if action == "destroy":
                required = _("Optional.")
            params.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=_("The version read (the ETag). %(rule)s") % {"rule": required},
                )
            )
        return params

    def get_request_serializer(self):
        if getattr(self.view, "action", None) in BULK:
            return self.view.serializer_class(many=True)
        return super().get_request_serializer()

    def get_response_serializers(self):
        if getattr(self.view, "action", None) in BULK:
            if self.method == "POST":  # bulk creation answers 201
                return {201: self.view.serializer_class(many=True)}
            return self.view.serializer_class(many=True)
        return super().get_response_serializers()


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "zhaoshang.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_("“Token <key>”, with a key from /api/tokens/.")),
        }


ERRORS = {
    "400": _("Invalid input: a message per field."),
    "401": _("No valid token or session."),
    "403": _("Your roles do not grant this action."),
    "404": _("No such record in your unit scope."),
    "405": _("Method not allowed."),
    "409": _("The version sent is stale, or other records still refer to this one."),
    "428": _("The version read is missing (If-Match header or `version` field)."),
    "429": _("Too many requests; see the Retry-After header."),
}


def _link(operation_id, **parameters):
    return {
        "operationId": operation_id,
        "parameters": {"id": "$response.body#/id", **parameters},
    }


# OpenAPI links: what a client does next with a record it just made (and what the
# stateful schemathesis test follows): a new project is read, changed with the version
# it was given, moved; a new lead is read, verified or dropped; a verified lead converted.
ETAG = {"header.If-Match": "$response.header.ETag"}
LINKS = {
    ("pipeline_projects_create", "201"): {
        "GetProject": _link("pipeline_projects_retrieve"),
        "UpdateProject": _link("pipeline_projects_partial_update", **ETAG),
        "MoveProject": _link("pipeline_projects_move_create"),
    },
    ("pipeline_leads_create", "201"): {
        "GetLead": _link("pipeline_leads_retrieve"),
        "VerifyLead": _link("pipeline_leads_verify_create"),
        "DropLead": _link("pipeline_leads_drop_create"),
    },
    ("pipeline_leads_verify_create", "200"): {
        "ConvertLead": _link("pipeline_leads_convert_create"),
    },
    ("pipeline_leads_convert_create", "201"): {
        "GetProject": _link("pipeline_projects_retrieve"),
        "MoveProject": _link("pipeline_projects_move_create"),
    },
}


def add_links(result):
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for (operation_id, code), links in LINKS.items():
                if operation.get("operationId") == operation_id and code in operation.get(
                    "responses", {}
                ):
                    operation["responses"][code]["links"] = links
    return result


def add_error_responses(result, generator, request, public):
    """Every operation documents the JSON error answers it may give, and its links."""
    add_links(result)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Errors"] = {
        "type": "object",
        "properties": {
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": str(_("Messages by field name; “detail” for the whole request.")),
            }
        },
        "required": ["errors"],
    }
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in ERRORS.items():
                if code in ("409", "428") and method not in ("put", "patch", "delete"):
                    continue
                operation["responses"].setdefault(
                    code, {"description": str(description), "content": body}
                )
    return result


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "zhaoshang.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": str(_("The browser's login session (writes need the CSRF token).")),
        }


class ScopedFilterExtension(DjangoFilterExtension):
    """The pages' FilterSets in the schema: a unit (or other record) filter takes an id, a
    filter whose choices are computed takes a string."""

    target_class = "zhaoshang.api.base.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        from django_filters import filters

        annotation = None
        if isinstance(filter_field, filters.ModelChoiceFilter | filters.ModelMultipleChoiceFilter):
            annotation = OpenApiTypes.INT
        elif callable(filter_field.extra.get("choices")):
            annotation = OpenApiTypes.STR
        if annotation is not None and not has_override(filter_field, "field"):
            filter_field = extend_schema_field(annotation)(copy.copy(filter_field))
        return super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )

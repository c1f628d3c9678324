"""Every API error is JSON: {"errors": {field: [Chinese message, …]}}; never an HTML page."""

import logging

from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

logger = logging.getLogger(__name__)

DETAIL = "detail"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"


def _messages(detail):
    """DRF's error detail (dict, list or string) as {field: [messages]}."""
    if isinstance(detail, dict):
        out = {}
        for field, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _messages(value).items():
                    out[f"{field}.{sub}"] = msgs
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, msgs in _messages(item).items():
                        out[f"{field}.{index}.{sub}"] = msgs
            else:
                out[field] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {DETAIL: [str(detail)]}


def errors_response(errors, status_code, headers=None):
    return Response({"errors": errors}, status=status_code, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        # The blockers are not named: they may belong to units the caller cannot see.
        exc = Conflict(_("This record cannot be deleted: other records still refer to it."))
    response = drf_handler(exc, context)
    if response is None:  # not an API exception: log it, answer JSON rather than HTML
        logger.exception("API error", exc_info=exc)
        return errors_response({DETAIL: [_("Server error. The error has been logged.")]}, 500)
    response.data = {"errors": _messages(response.data)}
    return response


@csrf_exempt  # a POST to no endpoint is a 404, not the CSRF middleware's HTML 403
def not_found(request, *args, **kwargs):
    """Any /api/ address that names no endpoint: a JSON 404, not the HTML page."""
    return JsonResponse({"errors": {DETAIL: [_("No such API endpoint.")]}}, status=404)

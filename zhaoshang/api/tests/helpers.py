"""Helpers for the API tests: clients authenticated with a real token."""

from rest_framework.test import APIClient

from zhaoshang.api.models import ApiToken


def token_client(user):
    """An APIClient that sends a fresh token of `user` in the Authorization header."""
    _token, plain = ApiToken.issue(user, "test", 30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    return client

"""API authentication: bearer tokens for programs, the session (with CSRF) for browsers."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from welcoming.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


class SignedInSession(SessionAuth):
    """The browser session (with its CSRF check), only once someone has signed in: a request
    with no credentials at all gets 401, not a CSRF error."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


authenticated = [TokenAuth(), SignedInSession()]

"""API authentication: bearer tokens for programs, the session (with CSRF) for browsers.

Every operation that needs a person declares what a token must allow, once, in its `auth`:
`auth=token_or_session(Scope.WRITE_INDICATORS)`; reading needs `Scope.READ` (`authenticated`).
A token that is unknown, revoked or expired answers 401; a valid token without the scope
answers 403 with `{"detail": ..., "required_scope": ...}` (`ScopeRefusedOut`). A signed-in
browser acts with all of its person's rights: scopes restrict tokens, not people.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.security import HttpBearer, SessionAuth

from welcoming.accounts.models import Scope
from welcoming.accounts.services import api_token_authenticate
from welcoming.accounts.two_factor import must_enrol, session_awaits_second_factor


class ScopeRefused(PermissionDenied):
    """A valid token that does not allow what was asked."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__(
            _("This API token does not allow this operation; it needs the scope %(scope)s.")
            % {"scope": scope}
        )


class ScopeRefusedOut(Schema):
    detail: str
    required_scope: str | None = Field(
        None, description="The scope the token lacks, when a token's scopes were the reason."
    )


class TokenAuth(HttpBearer):
    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_authenticate(secret=token)
        if found is None:
            return None
        if not found.allows(self.scope):
            raise ScopeRefused(self.scope)
        request.user = found.user
        return found.user


class SignedInSession(SessionAuth):
    """The browser session (with its CSRF check), only once someone has signed in: a request
    with no credentials at all gets 401, not a CSRF error. A session still waiting for its
    second factor, or of an administrator who has not set one up, is not signed in."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if session_awaits_second_factor(request) or must_enrol(request):
            return None
        return super().__call__(request)


def token_or_session(scope: Scope) -> list[Any]:
    """The `auth` of an operation: a token with `scope`, or a signed-in browser."""
    return [TokenAuth(scope), SignedInSession()]


authenticated = token_or_session(Scope.READ)

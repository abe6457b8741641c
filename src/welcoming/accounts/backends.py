"""Sign-in lock-out: django-axes refuses a user name and address after repeated failures."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request (the web and the admin).

    A call without a request (a script, the test client's `login`) is not a sign-in from
    anywhere: there is no address to lock, so it is left to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

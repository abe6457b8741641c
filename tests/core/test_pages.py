"""Public pages kept per data state: the same page for anonymous visitors until the data change."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from tests.factories import UserFactory
from tests.slices import load_real_slice
from welcoming.core.models import Community
from welcoming.core.pages import cache_per_data_state

pytestmark = pytest.mark.django_db


class CountingView:
    """A page that says how many times it was drawn."""

    def __init__(self, cookie: bool = False) -> None:
        self.drawn = 0
        self.cookie = cookie

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.drawn += 1
        response = HttpResponse(f"drawn {self.drawn}")
        if self.cookie:
            response.set_cookie("chosen", "yes")
        return response


def _get(view, path: str = "/en/page/", user=None) -> str:
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return view(request).content.decode()


def test_an_anonymous_page_is_drawn_once_per_data_state_and_address() -> None:
    view = CountingView()
    kept = cache_per_data_state(view)
    assert _get(kept) == _get(kept) == "drawn 1"
    assert _get(kept, "/en/page/?q=other") == "drawn 2"
    Community.objects.create(code="99", name_en="Changed", name_fr="Changé", level="province")
    assert _get(kept) == "drawn 3"  # an audited change: a new data state


def test_signed_in_people_and_answers_with_cookies_are_never_kept() -> None:
    view = CountingView()
    kept = cache_per_data_state(view)
    person = UserFactory()
    assert _get(kept, user=person) == "drawn 1"
    assert _get(kept, user=person) == "drawn 2"
    with_cookie = cache_per_data_state(CountingView(cookie=True))
    assert _get(with_cookie) == "drawn 1"
    assert _get(with_cookie) == "drawn 2"


def test_a_kept_scorecard_page_is_the_page_drawn(client) -> None:
    load_real_slice()
    drawn = client.get("/en/communities/535/scorecard/")
    kept = client.get("/en/communities/535/scorecard/")
    assert drawn.status_code == kept.status_code == 200
    assert kept.content == drawn.content
    assert client.get("/fr/communities/535/scorecard/").content != drawn.content

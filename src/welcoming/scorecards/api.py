"""Scorecards in the API: the same computation as the page and the command."""

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from welcoming.core.models import Community

from .exports import scorecard_to_dict
from .models import ScoringProfile
from .selectors import scorecard_periods, scoring_profile_current
from .services import scorecard_compute

router = Router(tags=["scorecards"])


@router.get("/{code}", response=dict[str, Any])
def scorecard_detail(
    request: HttpRequest, code: str, period: str | None = None, profile: str = "default"
) -> dict[str, Any]:
    """A community's scorecard as of `period` (default: the latest year with data)."""
    community = get_object_or_404(Community, code=code)
    try:
        chosen = scoring_profile_current(name=profile)
    except ScoringProfile.DoesNotExist as missing:
        raise Http404 from missing
    year = period or next(iter(scorecard_periods(level=community.level)), "")
    card = scorecard_compute(community=community, period=year, profile=chosen)
    if card is None:
        raise Http404
    return scorecard_to_dict(card)

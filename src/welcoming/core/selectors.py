"""Reads on communities."""

from django.db.models import F, Q, QuerySet

from .models import Community
from .text import fold


def community_search(
    *,
    text: str = "",
    province: str | None = None,
    size_class: str | None = None,
    level: str | None = None,
) -> QuerySet[Community]:
    """Communities whose name holds every word of `text`, accents and case ignored.

    `province` is a two-digit province code; it matches the province itself and what lies in it.
    """
    communities = Community.objects.select_related("parent", "metropolitan_area")
    for word in fold(text).split():
        communities = communities.filter(search_text__contains=word)
    if province:
        communities = communities.filter(
            Q(code=province) | Q(parent__code=province) | Q(level="csd", code__startswith=province)
        )
    if size_class:
        communities = communities.filter(size_class=size_class)
    if level:
        communities = communities.filter(level=level)
    return communities.order_by(F("population").desc(nulls_last=True), "name_en", "code")


def province_list() -> QuerySet[Community]:
    """Provinces and territories, by name in the active language."""
    return Community.objects.filter(level=Community.Level.PROVINCE).order_by("name")

"""Synthetic communities and indicators for the benches, named as such; their values are random.

Import after `django.setup()`: the models are read when a function is called.
"""

from typing import Any


def synthetic_communities(count: int, **fields: Any) -> list[Any]:
    """Unsaved municipalities 9000000, 9000001…; `fields` may be callables of the index."""
    from welcoming.core.models import Community

    places = []
    for c in range(count):
        extra = {k: v(c) if callable(v) else v for k, v in fields.items()}
        place = Community(
            code=f"9{c:06d}", name_en=f"Synthetic {c}", name_fr=f"Fictive {c}", level="csd", **extra
        )
        place.refresh_derived_fields()
        places.append(place)
    return places


def synthetic_indicator(i: int, category: Any, direction: str = "higher") -> Any:
    """Unsaved indicator bench-NN: a score from 0 to 100."""
    from welcoming.indicators.models import Indicator

    return Indicator(
        code=f"bench-{i:02d}",
        name_en=f"Synthetic {i}",
        name_fr=f"Fictif {i}",
        definition_en="Synthetic.",
        definition_fr="Fictif.",
        unit="score",
        direction=direction,
        valid_min=0,
        valid_max=100,
        qolrs_category=category,
        source_en="Benchmark",
        source_fr="Banc d'essai",
        licence="none",
        attribution_en="Synthetic.",
        attribution_fr="Fictif.",
    )

"""Weights a profile may not have: those that leave an aggregate with nothing to weigh.

Checked on the very trees the engine scores (every level, every set of indicators with data), so
a saved profile never makes scoring raise. The form, the API and the command all save through
`scoring_profile_save`, whose `full_clean` calls this.
"""

from django.utils.translation import gettext as _

from welcoming.core.models import Community
from welcoming.engines.scoring import unweighable_nodes
from welcoming.framework.models import Characteristic, CharacteristicGroup
from welcoming.indicators.models import Indicator

from .selectors import OVERALL, scoring_trees


def scoring_weights_check(*, weights: dict[str, float]) -> list[str]:
    """One message for each aggregate whose parts all weigh 0 at some level, naming it."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for level, _period, tree in scoring_trees(weights=weights):
        for code in unweighable_nodes(tree):
            found.setdefault((level, code), tree.children(code))
    if not found:
        return []
    codes = {code for key, parts in found.items() for code in (key[1], *parts)}
    names = {
        **{i.code: str(i.name) for i in Indicator.objects.filter(code__in=codes)},
        **{g.code: str(g.name) for g in CharacteristicGroup.objects.filter(code__in=codes)},
        **{c.code: str(c.name) for c in Characteristic.objects.filter(code__in=codes)},
        OVERALL: _("the overall score"),
    }
    levels = dict(Community.Level.choices)
    message = _(
        "Level “%(level)s”: every part of %(node)s weighs 0 (%(parts)s), so it could not be "
        "scored; give at least one of them a weight above 0."
    )
    return [
        message
        % {
            "level": levels.get(level, level),
            "node": f"“{names.get(code, code)}” ({code})",
            "parts": ", ".join(names.get(p, p) for p in parts),
        }
        for (level, code), parts in sorted(found.items())
    ]

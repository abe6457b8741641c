"""The engine's reasons, in sentences for people: its `Exclusion` and `Term` values are data
(a constraint, a count, a language code, a distance), turned into whole sentences here through
gettext, in the language of the page or of the mail being written.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .languages import language_name

TERM_LABELS = {
    "occupation": gettext_lazy("Occupation close to the host's"),
    "interests": gettext_lazy("Shared interests"),
    "distance": gettext_lazy("Distance"),
    "household": gettext_lazy("Household fit"),
    "language": gettext_lazy("Language comfort"),
    "waiting": gettext_lazy("Time waiting"),
    "priority": gettext_lazy("Priority factors"),
}


@dataclass(frozen=True)
class TermLine:
    """One term of a score as a page shows it: its label, value (0..1), weight and points."""

    name: str
    label: str
    value: float
    weight: float

    @property
    def points(self) -> float:
        return self.value * self.weight


def term_lines(terms: Iterable[Mapping[str, Any]]) -> list[TermLine]:
    """Stored terms (`{"name", "value", "weight"}`) as lines, largest contribution first."""
    lines = [
        TermLine(
            name=str(t["name"]),
            label=str(TERM_LABELS.get(str(t["name"]), t["name"])),
            value=float(t["value"]),
            weight=float(t["weight"]),
        )
        for t in terms
    ]
    return sorted(lines, key=lambda line: -line.points)


def _languages(detail: str) -> str:
    names = [language_name(code) for code in detail.split(";") if code]
    if not names:
        return _("a language they share")
    if len(names) == 1:
        return names[0]
    return _("%(languages)s or %(last)s") % {"languages": ", ".join(names[:-1]), "last": names[-1]}


def exclusion_sentence(constraint: str, removed: int, detail: str) -> str:
    """How many candidate hosts one constraint removed, and why, in one sentence. The engine
    counts each host once, under the first constraint it fails (docs/matching.md)."""
    values = {"count": removed, "detail": detail}
    if constraint == "eligibility":
        text = ngettext(
            "%(count)d host was left out: this newcomer does not meet the program's eligibility.",
            "%(count)d hosts were left out: this newcomer does not meet the program's eligibility.",
            removed,
        )
    elif constraint == "screening" and detail == "unscreened":
        text = ngettext(
            "%(count)d host has no police check.", "%(count)d hosts have no police check.", removed
        )
    elif constraint == "screening" and detail == "expired":
        text = ngettext(
            "%(count)d host's police check has expired.",
            "%(count)d hosts' police checks have expired.",
            removed,
        )
    elif constraint == "screening":
        text = ngettext(
            "%(count)d host has not completed the training.",
            "%(count)d hosts have not completed the training.",
            removed,
        )
    elif constraint == "language":
        values["language"] = _languages(detail)
        text = ngettext(
            "%(count)d host does not speak %(language)s at the level the program needs.",
            "%(count)d hosts do not speak %(language)s at the level the program needs.",
            removed,
        )
    elif constraint == "distance":
        text = ngettext(
            "%(count)d host lives too far to meet in person, and one of the two does not meet "
            "online.",
            "%(count)d hosts live too far to meet in person, and one of the two does not meet "
            "online.",
            removed,
        )
    elif constraint == "availability":
        text = ngettext(
            "%(count)d host has no time in the week in common with this newcomer.",
            "%(count)d hosts have no time in the week in common with this newcomer.",
            removed,
        )
    elif constraint == "preferences":
        text = ngettext(
            "%(count)d host does not offer what this newcomer asked for.",
            "%(count)d hosts do not offer what this newcomer asked for.",
            removed,
        )
    elif constraint == "capacity" and detail == "taken":
        text = ngettext(
            "%(count)d suitable host was given to other newcomers.",
            "%(count)d suitable hosts were given to other newcomers.",
            removed,
        )
    elif constraint == "capacity":
        text = ngettext(
            "%(count)d suitable host had no place left.",
            "%(count)d suitable hosts had no place left.",
            removed,
        )
    elif constraint == "team":
        text = ngettext(
            "Only %(count)d suitable host: a team needs at least %(detail)s.",
            "Only %(count)d suitable hosts: a team needs at least %(detail)s.",
            removed,
        )
    else:
        text = ngettext(
            "%(count)d host was left out (%(detail)s).",
            "%(count)d hosts were left out (%(detail)s).",
            removed,
        )
    return text % values


def _language_detail(exclusions: Sequence[Mapping[str, Any]]) -> str:
    return next((str(e["detail"]) for e in exclusions if e["constraint"] == "language"), "")


def unmatched_summary(exclusions: Sequence[Mapping[str, Any]], *, radius_km: float = 0.0) -> str:
    """Why no host was left, in one sentence: the last constraint that removed candidates, with
    the reach and the languages ("No screened host within 25 km speaks Tigrinya.")."""
    removing = [e for e in exclusions if int(e["removed"]) > 0]
    km = f"{radius_km:.0f}"
    if not removing:
        return _("No host of the program is within reach of this newcomer.")
    last = str(removing[-1]["constraint"])
    if last == "eligibility":
        return _("This newcomer does not meet the program's eligibility.")
    if last == "screening":
        if radius_km:
            return _("No host within %(km)s km has a valid police check and training.") % {"km": km}
        return _("No host has a valid police check and training.")
    if last == "language":
        language = _languages(str(removing[-1]["detail"]))
        if radius_km:
            return _("No screened host within %(km)s km speaks %(language)s.") % {
                "km": km,
                "language": language,
            }
        return _("No screened host speaks %(language)s.") % {"language": language}
    if last == "distance":
        return _(
            "No screened host who speaks %(language)s lives close enough to meet in person, "
            "and meeting online is not possible."
        ) % {"language": _languages(_language_detail(exclusions))}
    if last == "availability":
        return _("No screened host within reach who shares a language has time in common.")
    if last == "preferences":
        return _("No host within reach offers what this newcomer asked for.")
    if last == "team":
        return _("Too few suitable hosts are free to form a team.")
    return _("Every suitable host was given to other newcomers or had no place left.")


@dataclass(frozen=True)
class UnmatchedLine:
    """An unmatched newcomer as the review page shows them."""

    newcomer_id: int
    summary: str
    reasons: list[str]


def unmatched_lines(unmatched: Iterable[Mapping[str, Any]]) -> list[UnmatchedLine]:
    """A run's stored unmatched newcomers (engine `Unmatched` as dicts) in sentences."""
    return [
        UnmatchedLine(
            newcomer_id=int(u["newcomer_id"]),
            summary=unmatched_summary(
                u["exclusions"],
                radius_km=float(u.get("radius_km", 0.0)),
            ),
            reasons=[
                exclusion_sentence(str(e["constraint"]), int(e["removed"]), str(e["detail"]))
                for e in u["exclusions"]
                if int(e["removed"]) > 0
            ],
        )
        for u in unmatched
    ]

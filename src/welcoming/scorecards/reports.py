"""A scorecard as a report: one standalone HTML document, and the same printed to PDF.

The page, the PDF download and `welcoming scorecard --format html|pdf` all come from here and
from the same body template, so a council reads what the analyst saw.
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from welcoming.indicators.selectors import Credit
from welcoming.integrations import charts
from welcoming.integrations.pdf import html_to_pdf

from .services import Scorecard


def characteristics_chart_svg(card: Scorecard) -> str | None:
    """Bars of the characteristic scores; the table beside it gives the same numbers."""
    bars = [
        {
            "series": f"{c.characteristic.rank}. {c.characteristic.name}",
            "value": round(c.node.score, 1),
        }
        for c in card.characteristics
        if c.node.score is not None
    ]
    if len(bars) < 2:
        return None
    label = _("Score of each characteristic of %(name)s, from 0 to 100; the table gives them.")
    return charts.chart_svg(
        charts.bar_chart(bars, x_title=_("Score (0 to 100)")),
        label=label % {"name": card.community.name},
    )


def scorecard_sources(card: Scorecard) -> list[Credit]:
    """Each distinct source behind the scores, as the imports that brought the values recorded
    it, for the attribution list."""
    seen: dict[str, Credit] = {}
    for item in card.characteristics:
        for line in item.lines:
            if line.credit.source:
                seen.setdefault(line.credit.source, line.credit)
    return sorted(seen.values(), key=lambda c: c.source)


def scorecard_report_html(card: Scorecard) -> str:
    return render_to_string(
        "scorecards/scorecard_report.html",
        {
            "card": card,
            "community": card.community,
            "period": card.period,
            "profile": card.profile,
            "chart": characteristics_chart_svg(card),
            "sources": scorecard_sources(card),
        },
    )


def scorecard_report_pdf(card: Scorecard) -> bytes | None:
    """The report as PDF, or None when WeasyPrint cannot run here."""
    return html_to_pdf(scorecard_report_html(card), base_url=str(Path(__file__).parent))

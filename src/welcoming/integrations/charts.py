"""Vega-Lite charts rendered to SVG on the server: one chart in web pages, PDF and offline.

Off-mode: if rendering fails for any reason, callers get None and show the data table alone
(every chart has one anyway, for accessibility). Specs are plain Vega-Lite dictionaries, which
vl-convert renders without a browser or Node. Numbers on the axes follow the active language
(12 345,6 in French), and the root ``<svg>`` carries ``role="img"`` and an ``aria-label`` so that
screen readers announce one image rather than hundreds of marks.
"""

import json
import logging
import re
from functools import lru_cache
from html import escape
from typing import Any, Literal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FormatLocale = Literal["en-CA", "fr-CA"]
FORMAT_LOCALES: dict[str, FormatLocale] = {"en": "en-CA", "fr": "fr-CA"}
# Labels are measured with the first font the renderer has; DejaVu Sans, among the widest, leaves
# room for narrower fonts in the reader's browser instead of clipping long names.
FONT = "DejaVu Sans, Verdana, Noto Sans, Helvetica, Arial, sans-serif"
CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#333", "titleColor": "#333"},
    "legend": {"labelFontSize": 12},
    "range": {"category": ["#26374a", "#b3451f", "#2e7d32", "#6a1b9a", "#00838f", "#795548"]},
    "bar": {"color": "#26374a"},
    "line": {"color": "#26374a", "strokeWidth": 2},
    "point": {"color": "#26374a", "filled": True, "size": 40},
    "view": {"stroke": None},
}
_SVG_OPEN = re.compile(r"<svg\b")
MAX_PERIOD_LABELS = 13


def line_chart(points: list[dict[str, Any]], *, x_title: str, y_title: str) -> dict[str, Any]:
    """Series over periods, one line per series ("series" field); at most 13 period labels."""
    periods = sorted({str(p["period"]) for p in points})
    step = -(-len(periods) // MAX_PERIOD_LABELS)
    shown = periods[::-1][::step][::-1]  # evenly spaced, always ending on the latest period
    return {
        "$schema": SCHEMA,
        "data": {"values": points},
        "mark": {"type": "line", "point": True},
        "width": 600,
        "height": 240,
        "encoding": {
            "x": {
                "field": "period",
                "type": "ordinal",
                "title": x_title,
                "axis": {"labelAngle": 0, "values": shown},
            },
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom", "labelLimit": 400},
            },
        },
    }


def bar_chart(points: list[dict[str, Any]], *, x_title: str) -> dict[str, Any]:
    """One labelled bar per series, for values on a common 0–100 scale."""
    return {
        "$schema": SCHEMA,
        "data": {"values": points},
        "width": 420,
        "encoding": {
            "y": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "sort": None,
                "axis": {"labelLimit": 380},
            },
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": x_title,
                "scale": {"domain": [0, 100]},
            },
        },
        "layer": [
            {"mark": "bar"},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": "#333"},
                "encoding": {"text": {"field": "value", "type": "quantitative", "format": ",.1~f"}},
            },
        ],
    }


def chart_svg(spec: dict[str, Any], *, label: str | None = None) -> str | None:
    """The chart as an accessible SVG string, or None when it cannot be drawn.

    `spec` is a Vega-Lite dictionary. `label` names the chart for assistive
    technology; without it the spec's description or title is used, then a generic sentence.
    """
    try:
        spec_json = json.dumps(spec, sort_keys=True, default=str)
        language = (get_language() or "en")[:2]
        rendered = _render(spec_json, FORMAT_LOCALES.get(language, "en-CA"))
        if rendered is None:
            return None
        name = label or _spec_label(spec) or _("Chart; the table that follows gives the values.")
        attributes = f'<svg role="img" aria-label="{escape(str(name), quote=True)}"'
        return _SVG_OPEN.sub(attributes, rendered, count=1)
    except Exception:  # off-mode: any failure means the page shows the table only
        logger.exception("Chart rendering failed; showing the data table only.")
        return None


def _spec_label(spec: dict[str, Any]) -> str | None:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return spec.get("description") or (str(title) if title else None)


@lru_cache(maxsize=256)
def _render(spec_json: str, format_locale: FormatLocale) -> str | None:
    try:
        import vl_convert

        spec = json.loads(spec_json)
        spec.setdefault("config", CONFIG)
        return str(
            vl_convert.vegalite_to_svg(spec, format_locale=format_locale, allowed_base_urls=[])
        )
    except Exception:  # any failure means: show the table only
        logger.exception("Chart rendering failed; showing the data table only.")
        return None

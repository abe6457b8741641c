"""Charts for a group of indicator values: a line per series, or bars on a common 0–100 scale."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from welcoming.integrations import charts

from .models import Indicator
from .selectors import ValueRow

COMMON_SCALE = {Indicator.Unit.SCORE, Indicator.Unit.PERCENT}


def rows_chart_svg(rows: Sequence[ValueRow]) -> str | None:
    """An SVG chart for the rows that can share one, or None when none can."""
    series_rows = [r for r in rows if len(r.series) > 1]
    if series_rows:
        unit = series_rows[0].indicator.get_unit_display()
        points = [
            {"series": str(r.indicator.name), "period": period, "value": value}
            for r in series_rows
            if r.indicator.unit == series_rows[0].indicator.unit
            for period, value in r.series
            if value is not None
        ]
        return charts.chart_svg(charts.line_chart(points, x_title=_("Year"), y_title=str(unit)))
    bars = [
        {"series": str(r.indicator.name), "value": r.value}
        for r in rows
        if r.indicator.unit in COMMON_SCALE and r.value is not None
    ]
    if len(bars) < 2:
        return None
    return charts.chart_svg(charts.bar_chart(bars, x_title=_("Value (0 to 100)")))

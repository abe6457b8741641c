"""The charts adapter: accessible SVG in the active language, and a safe off-mode."""

import pytest
from django.utils import translation

from welcoming.integrations import charts

# Real figures: Statistics Canada 35-10-0026-01, crime severity index, Toronto CMA.
TORONTO_CSI = {"2019": 54.46, "2020": 46.65, "2021": 45.91, "2022": 52.86, "2023": 59.02}


def _line() -> dict:
    points = [
        {"series": "Crime severity index", "period": year, "value": value}
        for year, value in TORONTO_CSI.items()
    ]
    return charts.line_chart(points, x_title="Year", y_title="Index")


def test_line_chart_is_an_accessible_svg() -> None:
    svg = charts.chart_svg(_line(), label="Crime severity index, Toronto, 2019 to 2023")
    assert svg is not None
    assert svg.startswith(
        '<svg role="img" aria-label="Crime severity index, Toronto, 2019 to 2023"'
    )
    assert "2023" in svg and "Year" in svg


def test_label_is_escaped_and_has_a_default() -> None:
    assert 'aria-label="A &quot;b&quot; &amp; c"' in charts.chart_svg(_line(), label='A "b" & c')
    assert 'aria-label="Chart; the table that follows gives the values."' in charts.chart_svg(
        _line()
    )


def test_numbers_follow_the_active_language() -> None:
    points = [{"series": "Population", "value": 2_794_356}]
    spec = {
        **charts.bar_chart(points, x_title="Population"),
        "encoding": {
            "y": {"field": "series", "type": "nominal"},
            "x": {"field": "value", "type": "quantitative"},
        },
    }
    with translation.override("en"):
        english = charts.chart_svg(spec)
    with translation.override("fr"):
        french = charts.chart_svg(spec)
    assert "1,000,000" in english and "1\xa0000\xa0000" not in english
    assert "1\xa0000\xa0000" in french and "1,000,000" not in french


@pytest.mark.parametrize(
    "spec",
    [{"mark": "no-such-mark", "data": {"values": []}}, {"data": {"url": "https://example.org/x"}}],
)
def test_off_mode_returns_none(spec: dict, caplog) -> None:
    assert charts.chart_svg(spec) is None


def test_off_mode_when_the_renderer_is_missing(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "vl_convert":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    charts._render.cache_clear()
    monkeypatch.setattr(builtins, "__import__", refuse)
    assert charts.chart_svg(_line()) is None
    charts._render.cache_clear()


def test_long_series_label_at_most_thirteen_periods_ending_on_the_latest() -> None:
    points = [{"series": "s", "period": str(year), "value": 1.0} for year in range(1998, 2025)]
    shown = charts.line_chart(points, x_title="Year", y_title="Index")["encoding"]["x"]["axis"][
        "values"
    ]
    assert len(shown) <= 13 and shown[-1] == "2024"


def test_bars_are_labelled_with_their_localised_value() -> None:
    # Real figure: visible minority share of Toronto's population, 2021 Census, 55.7 %.
    spec = charts.bar_chart([{"series": "Visible minority share", "value": 55.7}], x_title="%")
    with translation.override("fr"):
        assert ">55,7<" in charts.chart_svg(spec)
    with translation.override("en"):
        assert ">55.7<" in charts.chart_svg(spec)

"""The worked example of docs/methodology.md, number for number."""

from __future__ import annotations

import math

import numpy as np
import pytest

from welcoming.engines.scoring import (
    FLAG_INSUFFICIENT,
    Dataset,
    Framework,
    IndicatorMeta,
    Node,
    ScoringOptions,
    explain,
    score,
)

NAN = math.nan

FRAMEWORK = Framework(
    indicators=(
        IndicatorMeta("employment", parent="economic"),
        IndicatorMeta("credential_wait", parent="economic", direction=-1),
        IndicatorMeta("services", parent="social"),
        IndicatorMeta("belonging", parent="social"),
    ),
    nodes=(
        Node("economic", parent="overall", level=2),
        Node("social", parent="overall", level=2),
        Node("overall", parent=None, level=3),
    ),
)
DATA = Dataset(
    units=("A", "B", "C"),
    indicators=("employment", "credential_wait", "services", "belonging"),
    values=np.array(
        [
            [60.0, 6.0, 2.0, 70.0],
            [70.0, 12.0, NAN, 50.0],
            [80.0, 9.0, 4.0, 60.0],
        ]
    ),
)


def test_worked_example_numbers() -> None:
    res = score(DATA, FRAMEWORK)
    np.testing.assert_allclose(
        res.normalised,
        [[0, 100, 0, 100], [50, 0, NAN, 0], [100, 50, 100, 50]],
        atol=1e-12,
    )
    np.testing.assert_allclose(res.score("economic"), [50, 25, 75], atol=1e-12)
    np.testing.assert_allclose(res.score("social"), [50, 0, 75], atol=1e-12)
    np.testing.assert_allclose(res.coverage("social"), [1, 0.5, 1], atol=1e-12)
    np.testing.assert_allclose(res.score("overall"), [50, 12.5, 75], atol=1e-12)
    np.testing.assert_allclose(res.coverage("overall"), [1, 0.75, 1], atol=1e-12)
    np.testing.assert_array_equal(res.rank("overall"), [2, 3, 1])


def test_worked_example_stricter_threshold() -> None:
    res = score(DATA, FRAMEWORK, ScoringOptions(min_coverage=0.6))
    social_b = res.score("social")[1]
    assert math.isnan(social_b)
    assert res.flags("social")[1] & FLAG_INSUFFICIENT
    # B's overall now rests on economic only (coverage 0.5 < 0.6) → also insufficient
    assert math.isnan(res.score("overall")[1])
    assert math.isnan(res.rank("overall")[1])


def test_worked_example_explanation() -> None:
    res = score(DATA, FRAMEWORK)
    ex = explain(res, "B", "overall")
    by = {c.indicator: c for c in ex.contributions}
    assert by["employment"].weight_in_node == pytest.approx(0.25)
    assert by["credential_wait"].weight_in_node == pytest.approx(0.25)
    assert by["services"].weight_in_node == 0.0
    assert by["belonging"].weight_in_node == pytest.approx(0.5)
    assert sum(c.contribution for c in ex.contributions) == pytest.approx(12.5)
    assert by["credential_wait"].raw == 12.0
    ex_social = explain(res, "B", "social")
    assert {c.indicator for c in ex_social.contributions} == {"services", "belonging"}
    assert ex_social.coverage == 0.5

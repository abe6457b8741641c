"""Scorecards as plain data: JSON for programs, rows for CSV and XLSX."""

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from welcoming.core.spreadsheets import safe_rows

from .comparison import Comparison
from .services import PRIORITY_RULE, NodeScore, Scorecard, Trend


def _node(node: NodeScore) -> dict[str, Any]:
    found = {
        "code": node.code,
        "name": node.name,
        "score": node.score,
        "rank": node.rank,
        "peer_rank": node.peer_rank,
        "peer_median": node.peer_median,
        "coverage": node.coverage,
    }
    if node.of is not None:  # an overall or group score: shown only with enough coverage
        found |= {"shown": node.shown, "characteristics_scored": node.scored, "of": node.of}
    return found


def _trend(trend: Trend) -> dict[str, Any]:
    return {
        "basis": trend.basis.value,
        "reason": trend.reason,
        "explanation": trend.explanation,
        "first_period": trend.first_period,
        "first_units": trend.first_units,
        "units": trend.units,
        "first_rank": trend.first_rank,
        "first_score": trend.first_score,
        "added": [c.code for c in trend.added],
        "dropped": [c.code for c in trend.dropped],
    }


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    return {
        "community": {
            "code": card.community.code,
            "name_en": card.community.name_en,  # type: ignore[attr-defined]
            "name_fr": card.community.name_fr,  # type: ignore[attr-defined]
            "level": card.community.level,
        },
        "period": card.period,
        "profile": {"name": card.profile.name, "version": card.profile.version},
        "units": card.units,
        "ranked": card.ranked,
        "peers": card.peers,
        "peer_group_size": card.peer_group_size,
        "peers_widened": card.peers_widened,
        "peers_statement": card.peers_statement,
        "characteristics_scored": card.scored,
        "characteristics_in_framework": card.in_framework,
        "coverage_statement": card.coverage_statement,
        "min_framework_coverage": card.profile.min_framework_coverage,
        "overall": _node(card.overall),
        "groups": [_node(g) for g in card.groups],
        "characteristics": [
            {
                **_node(c.node),
                "name": str(c.characteristic.name),
                "gap_to_peer_median": c.gap,
                "behind_peers": c.node.behind,
                "score_in_first_period": c.earlier,
                "indicators": [
                    {
                        "code": line.indicator.code,
                        "period": line.period,
                        "value": line.raw,
                        "normalised": line.normalised,
                        "weight": line.weight,
                        "contribution": line.contribution,
                        "source": line.credit.source,
                    }
                    for line in c.lines
                ],
            }
            for c in card.characteristics
        ],
        "qolrs_categories": [_node(c) for c in card.categories],
        "rank_interval": None
        if card.interval is None
        else {
            "median": card.interval.median,
            "p05": card.interval.low,
            "p95": card.interval.high,
            "draws": card.interval.draws,
        },
        "trend": None if card.trend is None else _trend(card.trend),
        "priorities": [c.characteristic.code for c in card.priorities],
        "priority_rule": {
            "iqr_share": PRIORITY_RULE.iqr_share,
            "min_points": PRIORITY_RULE.min_points,
            "min_peers": PRIORITY_RULE.min_peers,
        },
        "priorities_statement": card.priorities_statement,
        "needs_survey_data": [c.code for c in card.survey_only],
        "no_data_yet": [c.code for c in card.without_data],
        "too_little_data": [c.code for c in card.not_scored],
    }


SCORECARD_CSV_HEADER = [
    "community_code",
    "community",
    "period",
    "level",
    "code",
    "name",
    "score",
    "rank",
    "peer_rank",
    "peer_median",
    "coverage",
    "status",
    "characteristics_scored",
    "characteristics_in_framework",
]


def scorecard_rows(card: Scorecard) -> list[list[Any]]:
    """One row per score — overall, each group, each characteristic — then one per
    characteristic without a score, each saying why: every row says on how many of the
    framework's characteristics the community is scored."""
    nodes = [
        ("overall", card.overall),
        *(("group", g) for g in card.groups),
        *(("characteristic", c.node) for c in card.characteristics),
    ]
    community = card.community
    tail = [card.scored, card.in_framework]
    rows = [
        [
            community.code,
            community.name,
            card.period,
            level,
            n.code,
            n.name,
            n.score,
            n.rank,
            n.peer_rank,
            n.peer_median,
            n.coverage,
            _status(n),
            *tail,
        ]
        for level, n in nodes
    ]
    missing = [(c, "needs-survey-data") for c in card.survey_only]
    missing += [(c, "no-data-yet") for c in card.without_data]
    first = [community.code, community.name, card.period, "characteristic"]
    rows += [
        [*first, c.code, str(c.name), None, None, None, None, 0.0, status, *tail]
        for c, status in missing
    ]
    return rows


def _status(node: NodeScore) -> str:
    if not node.shown:
        return "not-shown"
    return "insufficient-data" if node.score is None else "scored"


def comparison_table(comparison: Comparison) -> list[list[Any]]:
    header = [
        _("Code"),
        _("Community"),
        _("Rank"),
        _("Overall score"),
        *(name for code, name in comparison.columns[1:]),
    ]
    return [header] + [
        [community.code, str(community.name), rank, *values]
        for community, rank, values in comparison.rows
    ]


def comparison_download(comparison: Comparison, output: str) -> HttpResponse:
    table = safe_rows(comparison_table(comparison))
    name = f"comparison-{comparison.period}.{output}"
    if output == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(table)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        for row in table:
            book.active.append(row)
        stream = io.BytesIO()
        book.save(stream)
        response = HttpResponse(
            stream.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""Scorecards as plain data: JSON for programs, rows for CSV and XLSX."""

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from welcoming.core.spreadsheets import safe_rows

from .comparison import Comparison
from .services import NodeScore, Scorecard


def _node(node: NodeScore) -> dict[str, Any]:
    return {
        "code": node.code,
        "name": node.name,
        "score": node.score,
        "rank": node.rank,
        "peer_rank": node.peer_rank,
        "peer_median": node.peer_median,
        "coverage": node.coverage,
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
        "peers": card.peers,
        "overall": _node(card.overall),
        "groups": [_node(g) for g in card.groups],
        "characteristics": [
            {
                **_node(c.node),
                "name": str(c.characteristic.name),
                "gap_to_peer_median": c.gap,
                "score_in_first_period": c.earlier,
                "indicators": [
                    {
                        "code": line.indicator.code,
                        "period": line.period,
                        "value": line.raw,
                        "normalised": line.normalised,
                        "weight": line.weight,
                        "contribution": line.contribution,
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
        "trend": None
        if card.trend is None
        else {
            "first_period": card.trend.first_period,
            "first_rank": card.trend.first_rank,
            "first_units": card.trend.first_units,
            "first_score": card.trend.first_score,
        },
        "priorities": [c.characteristic.code for c in card.priorities],
        "needs_survey_data": [c.code for c in card.survey_only],
        "no_data_yet": [c.code for c in card.without_data],
    }


def scorecard_rows(card: Scorecard) -> list[list[Any]]:
    """One row per score: overall, each group, each characteristic."""
    nodes = [
        ("overall", card.overall),
        *(("group", g) for g in card.groups),
        *(("characteristic", c.node) for c in card.characteristics),
    ]
    community = card.community
    return [
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
        ]
        for level, n in nodes
    ]


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

"""Weights and aggregation, level by level, each aggregate from its direct children (COINr).

Written once, for one set of weights or for a batch of weight draws: a single run and the exact
path of the Monte Carlo share the arithmetic (and its COINr compatibility).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .model import (
    FLAG_IMPUTED,
    FLAG_INSUFFICIENT,
    AggregateMethod,
    BoolArray,
    FlagArray,
    FloatArray,
    Framework,
    IndicatorMeta,
    IntArray,
    Node,
    frozen_array,
)

EPS = 1e-12  # a coverage shortfall this small is rounding, not missing data


@dataclass(frozen=True)
class NodeInputs:
    """The edges feeding one aggregate: from indicators (columns) and from other aggregates."""

    indicator_edges: IntArray
    indicator_columns: IntArray
    node_edges: IntArray
    node_children: IntArray  # node positions


@dataclass(frozen=True)
class Plan:
    """A framework compiled into index arrays: one edge per child → parent link."""

    indicator_codes: tuple[str, ...]
    node_codes: tuple[str, ...]  # by level: children before parents, the root last
    edge_weights: FloatArray  # nominal, normalised to sum to 1 within each parent
    edge_parent: IntArray  # node position of the parent
    edge_child: IntArray  # indicator column, or node position when `edge_child_is_node`
    edge_child_is_node: BoolArray
    inputs: tuple[NodeInputs, ...]  # per node position
    levels: tuple[tuple[int, IntArray], ...]  # (level, node positions) from level 2 up

    @property
    def top(self) -> int:
        return len(self.node_codes) - 1

    def child_code(self, edge: int) -> str:
        codes = self.node_codes if self.edge_child_is_node[edge] else self.indicator_codes
        return codes[int(self.edge_child[edge])]


def resolved_weight(
    framework: Framework, code: str, overrides: Mapping[str, float] | None
) -> float:
    """The user's weight for `code` if given, else the framework's."""
    if overrides is not None and code in overrides:
        weight = float(overrides[code])
        if not (weight >= 0 and math.isfinite(weight)):
            raise ValueError(f"{code}: weight must be finite and >= 0")
        return weight
    return framework.weight_of(code)


def unweighable_nodes(
    framework: Framework, overrides: Mapping[str, float] | None = None
) -> tuple[str, ...]:
    """The aggregates whose children all weigh zero (with `overrides` by code): scoring them
    would divide by zero, so a set of weights that leaves one is refused before it is used."""
    return tuple(
        code
        for code in framework.node_codes
        if sum(resolved_weight(framework, k, overrides) for k in framework.children(code)) <= 0
    )


def compile_plan(framework: Framework, overrides: Mapping[str, float] | None = None) -> Plan:
    """Edges and index arrays; weights (user overrides by code) normalised within each parent."""
    if overrides is not None:
        unknown = set(overrides) - set(framework.indicator_codes) - set(framework.node_codes)
        if unknown:
            raise ValueError(f"weights for unknown codes: {sorted(unknown)}")
    ind_pos = {c: j for j, c in enumerate(framework.indicator_codes)}
    node_codes = framework.node_codes  # sorted by level; the root, strictly highest, is last
    node_pos = {c: j for j, c in enumerate(node_codes)}
    weights: list[float] = []
    parents: list[int] = []
    children: list[int] = []
    is_node: list[bool] = []
    for code in node_codes:
        kids = framework.children(code)
        raw = np.array([resolved_weight(framework, k, overrides) for k in kids])
        if raw.sum() <= 0:
            raise ValueError(f"{code}: children weights sum to zero")
        weights.extend((raw / raw.sum()).tolist())
        parents.extend([node_pos[code]] * len(kids))
        children.extend(node_pos[k] if k in node_pos else ind_pos[k] for k in kids)
        is_node.extend(k in node_pos for k in kids)
    edge_parent = np.asarray(parents, dtype=np.int64)
    edge_child = np.asarray(children, dtype=np.int64)
    edge_is_node = np.asarray(is_node, dtype=bool)
    inputs = []
    for j in range(len(node_codes)):
        into = edge_parent == j
        from_indicators = np.flatnonzero(into & ~edge_is_node).astype(np.int64)
        from_nodes = np.flatnonzero(into & edge_is_node).astype(np.int64)
        inputs.append(
            NodeInputs(
                from_indicators, edge_child[from_indicators], from_nodes, edge_child[from_nodes]
            )
        )
    levels = tuple(
        (level, np.asarray([node_pos[n.code] for n in framework.nodes if n.level == level]))
        for level in framework.levels[1:]
    )
    return Plan(
        indicator_codes=framework.indicator_codes,
        node_codes=node_codes,
        edge_weights=frozen_array(weights),
        edge_parent=edge_parent,
        edge_child=edge_child,
        edge_child_is_node=edge_is_node,
        inputs=tuple(inputs),
        levels=tuple((level, np.sort(nodes).astype(np.int64)) for level, nodes in levels),
    )


def run_levels(
    plan: Plan,
    normalised: FloatArray,
    observed: FloatArray | BoolArray,
    edge_weights: FloatArray,
    method: AggregateMethod,
    min_coverage: float,
    insufficient: BoolArray | None = None,
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Scores, coverage and insufficiency of every aggregate, each from its direct children.

    COINr's a_amean / a_gmean over the present children, weights rescaled to sum to 1: Σw·x / Σw
    or exp(Σw·ln x / Σw). Coverage is the share of weight resting on observed (not imputed) data;
    an aggregate below `min_coverage`, or without any present child, is NaN and counts as absent
    for its parent. `insufficient` (units × aggregates), when given, fixes which aggregates lack
    data instead of testing coverage again: the Monte Carlo keeps the nominal run's, so every
    draw ranks the same units.

    `edge_weights` is (edges,) or (draws, edges); results are (units, aggregates) or
    (units, aggregates, draws).
    """
    weights = np.atleast_2d(edge_weights)
    present = ~np.isnan(normalised)
    if method == "geom":
        if np.any(normalised[present] <= 0):
            raise ValueError(
                "geometric mean needs positive values: use minmax bounds like (1, 100)"
            )
        values = np.log(np.where(present, normalised, 1.0))
    else:
        values = np.where(present, normalised, 0.0)
    presence = present.astype(np.float64)
    counted = (present & (np.asarray(observed, dtype=np.float64) > 0)).astype(np.float64)
    shape = (normalised.shape[0], len(plan.node_codes), weights.shape[0])
    inner = np.zeros(shape)  # x, or ln x for geom; 0 where absent, so parents can sum blindly
    coverage = np.zeros(shape)
    absent = np.zeros(shape, dtype=bool)
    for j, inp in enumerate(plan.inputs):
        w = weights[:, inp.indicator_edges].T
        num = values[:, inp.indicator_columns] @ w
        den = presence[:, inp.indicator_columns] @ w
        cov = counted[:, inp.indicator_columns] @ w
        for edge, child in zip(inp.node_edges, inp.node_children, strict=True):
            w_child = weights[:, edge]
            there = ~absent[:, child]
            num += inner[:, child] * w_child
            den += there * w_child
            cov += np.where(there, coverage[:, child], 0.0) * w_child
        if insufficient is None:
            lacking = (den <= 0.0) | (cov < min_coverage - EPS)
        else:
            lacking = (den <= 0.0) | insufficient[:, j][:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            inner[:, j] = np.where(lacking, 0.0, num / den)
        coverage[:, j] = cov
        absent[:, j] = lacking
    scores = np.exp(inner) if method == "geom" else inner
    scores[absent] = np.nan
    if edge_weights.ndim == 1:
        return scores[..., 0], coverage[..., 0], absent[..., 0]
    return scores, coverage, absent


def propagate_flags(plan: Plan, indicator_flag: BoolArray) -> BoolArray:
    """Units × aggregates: does any indicator beneath (with positive weight) carry the flag?"""
    out = np.zeros((indicator_flag.shape[0], len(plan.node_codes)), dtype=bool)
    weighted = plan.edge_weights > 0
    for j, inp in enumerate(plan.inputs):
        cols = inp.indicator_columns[weighted[inp.indicator_edges]]
        kids = inp.node_children[weighted[inp.node_edges]]
        out[:, j] = indicator_flag[:, cols].any(axis=1) | out[:, kids].any(axis=1)
    return out


@dataclass(frozen=True)
class GroupRollup:
    """Indicator scores rolled up in one level by a secondary grouping (e.g. QOLRS category)."""

    codes: tuple[str, ...]
    scores: FloatArray
    coverage: FloatArray
    flags: FlagArray


def group_rollup(
    framework: Framework,
    weights: Mapping[str, float] | None,
    normalised: FloatArray,
    observed: FloatArray,
    imputed: BoolArray,
    method: AggregateMethod,
    min_coverage: float,
) -> GroupRollup | None:
    """The same normalised indicators averaged by `IndicatorMeta.group`; None without groups.

    A one-level framework (indicators → groups → a nominal root) run through `run_levels`, so
    the roll-up follows exactly the rules of the main hierarchy."""
    labels = list(dict.fromkeys(i.group for i in framework.indicators if i.group is not None))
    if not labels:
        return None
    members = [i for i in framework.indicators if i.group is not None]
    rollup = Framework(
        tuple(
            IndicatorMeta(
                i.code,
                parent=f"group:{i.group}",
                weight=resolved_weight(framework, i.code, weights),
            )
            for i in members
        ),
        (*(Node(f"group:{g}", "group:", level=2) for g in labels), Node("group:", None, level=3)),
    )
    plan = compile_plan(rollup)
    cols = [framework.indicator_codes.index(i.code) for i in members]
    scores, coverage, absent = run_levels(
        plan, normalised[:, cols], observed[:, cols], plan.edge_weights, method, min_coverage
    )
    groups = np.asarray([plan.node_codes.index(f"group:{g}") for g in labels])
    flags: FlagArray = np.zeros((normalised.shape[0], len(labels)), dtype=np.uint8)
    flags[propagate_flags(plan, imputed[:, cols])[:, groups]] |= FLAG_IMPUTED
    flags[absent[:, groups]] |= FLAG_INSUFFICIENT
    return GroupRollup(tuple(labels), scores[:, groups], coverage[:, groups], flags)

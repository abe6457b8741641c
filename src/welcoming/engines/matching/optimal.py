"""The optimal assignment on candidate edges with integer scores.

Objective, lexicographic: the largest total score, then the most pairs among assignments with
that total. Each chosen edge with integer score s costs -(s * B + 1), where B exceeds the largest
number of pairs any assignment can hold. An assignment with total S and M pairs then costs
-(B * S + M) with 0 <= M < B, so comparing costs compares S first and M only between equal S:
minimising the cost is exactly the lexicographic maximum. All arithmetic is on int64 integers, and
the bounds are checked before solving (OR-Tools scales costs by the node count internally), so no
rounding happens anywhere after the scores' own quantization.

One-to-one and group programs (household capacity 1, host capacities >= 0) are a min-cost flow:
source -> newcomer (capacity 1) -> host (1) -> sink (host capacity), plus a zero-cost
source -> sink arc so that nothing is forced to match. Team programs, where a household gets either
no volunteer or between lo and hi distinct ones, are not a flow problem: "0 or lo..hi" is a degree
constraint with a gap, and the general factor problem with gaps of length 2 or more is NP-hard
(Cornuéjols 1988). They are solved exactly as a 0-1 program by OR-Tools CP-SAT, whose objective is
integer too; with one worker and a deterministic time limit its answer is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from .arrays import BoolArray, IntArray

COST_LIMIT = 1 << 62
TEAM_DETERMINISTIC_SECONDS = 60.0  # CP-SAT work units: reproducible, unlike wall time


class ScoreRangeError(ValueError):
    """Scores too large to be solved exactly in 64-bit integers."""


@dataclass(frozen=True, slots=True)
class Assignment:
    chosen: BoolArray  # one flag per edge
    proven_optimal: bool


def pair_bound(ni: IntArray, hi: IntArray, newcomer_cap: IntArray, host_cap: IntArray) -> int:
    """B: one more than the most pairs any assignment on these edges can hold."""
    if ni.size == 0:
        return 1
    rows = _present(ni, newcomer_cap.size)
    hosts = _present(hi, host_cap.size)
    most = min(int(newcomer_cap[rows].sum()), int(host_cap[hosts].sum()), int(ni.size))
    return most + 1


def _present(index: IntArray, size: int) -> IntArray:
    """The distinct values of `index` (all in 0..size-1), sorted: np.unique without a sort."""
    return np.flatnonzero(np.bincount(index, minlength=size))


def _compact(index: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """`np.unique(index, return_inverse=True)` for indices below `size`, in linear time."""
    values = _present(index, size)
    position = np.zeros(size, dtype=np.int64)
    position[values] = np.arange(values.size)
    return values, position[index]


def lexicographic_costs(score: IntArray, bound: int, nodes: int) -> IntArray:
    biggest = int(np.abs(score).max(initial=0)) * bound + 1
    # OR-Tools refuses costs above 2^62 / (nodes + 3) (measured on 9.15: it scales by the nodes).
    if biggest * (nodes + 4) >= COST_LIMIT or biggest * bound >= COST_LIMIT:
        raise ScoreRangeError(
            f"scores up to {int(np.abs(score).max(initial=0))} units with {bound - 1} possible "
            "pairs do not fit the exact 64-bit solver; lower the weights or the resolution"
        )
    return -(score * bound + 1)


def solve_flow(
    ni: IntArray, hi: IntArray, score: IntArray, newcomer_cap: IntArray, host_cap: IntArray
) -> Assignment:
    """Edges (ni, hi) index newcomer_cap and host_cap; returns which edges are chosen."""
    chosen = np.zeros(ni.size, dtype=np.bool_)
    useful = np.flatnonzero(score >= 0)  # a negative edge can only lower the total
    if useful.size == 0:
        return Assignment(chosen, True)
    if useful.size < ni.size:
        ni, hi, score = ni[useful], hi[useful], score[useful]
    rows, row_node = _compact(ni, newcomer_cap.size)
    cols, col_node = _compact(hi, host_cap.size)
    source, sink = 0, 1
    first_row, first_col = 2, 2 + rows.size
    nodes = first_col + cols.size
    bound = pair_bound(ni, hi, newcomer_cap, host_cap)
    cost = lexicographic_costs(score, bound, nodes)
    supply = int(newcomer_cap[rows].sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    # Arcs, in order: source -> sink, source -> each newcomer, the edges, each host -> sink.
    arcs = 1 + rows.size + useful.size + cols.size
    tails = np.empty(arcs, dtype=np.int32)
    heads = np.empty(arcs, dtype=np.int32)
    capacities = np.empty(arcs, dtype=np.int64)
    costs = np.zeros(arcs, dtype=np.int64)
    first_edge_arc = 1 + rows.size
    after_edges = first_edge_arc + useful.size
    tails[:first_edge_arc] = source
    heads[0], capacities[0] = sink, supply
    heads[1:first_edge_arc] = first_row + np.arange(rows.size)
    capacities[1:first_edge_arc] = newcomer_cap[rows]
    tails[first_edge_arc:after_edges] = first_row + row_node
    heads[first_edge_arc:after_edges] = first_col + col_node
    capacities[first_edge_arc:after_edges] = 1
    costs[first_edge_arc:after_edges] = cost
    tails[after_edges:] = first_col + np.arange(cols.size)
    heads[after_edges:] = sink
    capacities[after_edges:] = host_cap[cols]
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([supply, -supply]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    used = flow.flows(np.arange(first_edge_arc, first_edge_arc + useful.size, dtype=np.int32))
    chosen[useful[np.asarray(used) > 0]] = True
    return Assignment(chosen, True)


def solve_teams(
    ni: IntArray,
    hi: IntArray,
    score: IntArray,
    low: IntArray,
    high: IntArray,
    host_cap: IntArray,
    seed: int,
) -> Assignment:
    """Each newcomer row r gets 0 or between low[r] and high[r] distinct hosts (edges are distinct
    pairs, so "distinct" holds by construction)."""
    chosen = np.zeros(ni.size, dtype=np.bool_)
    useful = np.flatnonzero(score >= 0)
    if useful.size == 0:
        return Assignment(chosen, True)
    bound = pair_bound(ni[useful], hi[useful], high, host_cap)
    weight = -lexicographic_costs(score[useful], bound, useful.size + 2)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{e}") for e in range(useful.size)]
    by_row: dict[int, list[int]] = {}
    by_col: dict[int, list[int]] = {}
    for position, edge in enumerate(useful.tolist()):
        by_row.setdefault(int(ni[edge]), []).append(position)
        by_col.setdefault(int(hi[edge]), []).append(position)
    for row, positions in by_row.items():
        matched = model.new_bool_var(f"y{row}")
        total = sum(x[p] for p in positions)
        model.add(total >= int(low[row]) * matched)
        model.add(total <= int(high[row]) * matched)
    for col, positions in by_col.items():
        model.add(sum(x[p] for p in positions) <= int(host_cap[col]))
    model.maximize(sum(int(w) * var for w, var in zip(weight.tolist(), x, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # The full LP relaxation at every node: on these assignment-like models it closes the gap
    # almost at once (0.02 s instead of seconds for 50 households in our measurements).
    solver.parameters.linearization_level = 2
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = TEAM_DETERMINISTIC_SECONDS
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT ended with status {solver.status_name(status)}")
    values = np.array([solver.boolean_value(var) for var in x], dtype=np.bool_)
    chosen[useful[values]] = True
    return Assignment(chosen, status == cp_model.OPTIMAL)

"""Frozen input/output records of the scoring engine.

Arrays inside frozen dataclasses are made read-only so a result can be shared without copying and
without one caller silently changing what another sees.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FlagArray = npt.NDArray[np.uint8]

NormaliseMethod = Literal["minmax", "zscore", "pctrank", "target", "goalposts"]
AggregateMethod = Literal["arith", "geom"]
MissingPolicy = Literal["exclude", "impute_peer_median"]
ConstantPolicy = Literal["middle", "formula"]
WeightNoise = Literal["dirichlet", "uniform"]

# Bit flags per unit × column; combined with `|`.
FLAG_IMPUTED = np.uint8(1)  # an imputed value feeds this cell
FLAG_INSUFFICIENT = np.uint8(2)  # coverage below the threshold: the score is NaN on purpose
FLAG_WINSORISED = np.uint8(4)  # the raw value was pulled in by winsorisation


def frozen_array(values: npt.ArrayLike) -> FloatArray:
    """Copy into a read-only array so results stay immutable like their dataclass."""
    arr: FloatArray = np.array(values, dtype=np.float64, copy=True)
    arr.setflags(write=False)
    return arr


def frozen_flags(values: npt.ArrayLike) -> FlagArray:
    arr: FlagArray = np.array(values, dtype=np.uint8, copy=True)
    arr.setflags(write=False)
    return arr


def frozen_ints(values: npt.ArrayLike) -> IntArray:
    arr: IntArray = np.array(values, dtype=np.int64, copy=True)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class IndicatorMeta:
    """One indicator: how to read it (direction), how much it counts (weight), where it sits."""

    code: str
    parent: str
    direction: int = 1
    weight: float = 1.0
    target: float | None = None
    goalposts: tuple[float, float] | None = None
    group: str | None = None  # secondary grouping (e.g. a QOLRS category) for a one-level roll-up

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError(f"{self.code}: direction must be +1 or -1")
        if not (self.weight >= 0 and math.isfinite(self.weight)):
            raise ValueError(f"{self.code}: weight must be finite and >= 0")
        if self.goalposts is not None and not self.goalposts[0] < self.goalposts[1]:
            raise ValueError(f"{self.code}: goalposts need lo < hi")


@dataclass(frozen=True)
class Node:
    """An aggregate (characteristic, group, overall...). Level 1 is reserved for indicators."""

    code: str
    parent: str | None
    weight: float = 1.0
    level: int = 2

    def __post_init__(self) -> None:
        if self.level < 2:
            raise ValueError(f"{self.code}: aggregate levels start at 2")
        if not (self.weight >= 0 and math.isfinite(self.weight)):
            raise ValueError(f"{self.code}: weight must be finite and >= 0")


@dataclass(frozen=True)
class Framework:
    """Indicators plus a tree of aggregates of any depth; validated once at construction.

    Its shape (codes, children, root) is computed once per framework: explaining a score walks
    the tree for every node of a page."""

    indicators: tuple[IndicatorMeta, ...]
    nodes: tuple[Node, ...]

    def __post_init__(self) -> None:
        codes = [i.code for i in self.indicators] + [n.code for n in self.nodes]
        if len(set(codes)) != len(codes):
            raise ValueError("indicator and node codes must be unique")
        if not self.indicators:
            raise ValueError("a framework needs at least one indicator")
        if sum(n.parent is None for n in self.nodes) != 1:
            raise ValueError("a framework needs exactly one root (the overall score)")
        by_code = {n.code: n for n in self.nodes}
        for ind in self.indicators:
            if ind.parent not in by_code:
                raise ValueError(f"{ind.code}: unknown parent {ind.parent!r}")
        for node in self.nodes:
            if node.parent is None:
                continue
            parent = by_code.get(node.parent)
            if parent is None:
                raise ValueError(f"{node.code}: unknown parent {node.parent!r}")
            if parent.level <= node.level:
                raise ValueError(f"{node.code}: parent {parent.code} must sit at a higher level")
        for node in self.nodes:
            if not self.children(node.code):
                raise ValueError(f"{node.code}: aggregate without children")

    @cached_property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    @cached_property
    def node_codes(self) -> tuple[str, ...]:
        """Aggregates sorted by level (stable), i.e. in the order they can be computed."""
        return tuple(n.code for n in sorted(self.nodes, key=lambda n: n.level))

    @property
    def levels(self) -> tuple[int, ...]:
        return (1, *sorted({n.level for n in self.nodes}))

    @cached_property
    def top(self) -> str:
        """The overall score: the single root."""
        return next(n.code for n in self.nodes if n.parent is None)

    def children(self, code: str) -> tuple[str, ...]:
        """Indicators first, then aggregates, each in the order given."""
        return self._children.get(code, ())

    @cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {}
        for parent, code in [(i.parent, i.code) for i in self.indicators] + [
            (n.parent, n.code) for n in self.nodes
        ]:
            if parent is not None:
                kids.setdefault(parent, []).append(code)
        return {parent: tuple(codes) for parent, codes in kids.items()}

    def parent_of(self, code: str) -> str | None:
        for ind in self.indicators:
            if ind.code == code:
                return ind.parent
        for node in self.nodes:
            if node.code == code:
                return node.parent
        raise KeyError(code)

    def level_of(self, code: str) -> int:
        for node in self.nodes:
            if node.code == code:
                return node.level
        if code in self.indicator_codes:
            return 1
        raise KeyError(code)

    def weight_of(self, code: str) -> float:
        for ind in self.indicators:
            if ind.code == code:
                return ind.weight
        for node in self.nodes:
            if node.code == code:
                return node.weight
        raise KeyError(code)

    def descendants(self, code: str) -> tuple[str, ...]:
        """Indicators beneath `code` (itself if it is an indicator)."""
        if code in self.indicator_codes:
            return (code,)
        out: list[str] = []
        for child in self.children(code):
            out.extend(self.descendants(child))
        return tuple(out)


@dataclass(frozen=True)
class Dataset:
    """Units × indicators raw values (NaN = missing), columns in framework indicator order."""

    units: tuple[str, ...]
    indicators: tuple[str, ...]
    values: FloatArray
    peer_groups: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        vals = np.asarray(self.values, dtype=np.float64)
        if vals.shape != (len(self.units), len(self.indicators)):
            raise ValueError(
                f"values shape {vals.shape} != ({len(self.units)}, {len(self.indicators)})"
            )
        if np.isinf(vals).any():
            raise ValueError("values must be finite or NaN")
        if self.peer_groups is not None and len(self.peer_groups) != len(self.units):
            raise ValueError("peer_groups must give one label per unit")
        if len(set(self.units)) != len(self.units):
            raise ValueError("unit codes must be unique")
        object.__setattr__(self, "values", frozen_array(vals))

    def aligned(self, framework: Framework) -> FloatArray:
        """Values with columns in the framework's indicator order (extra columns dropped)."""
        index = {c: j for j, c in enumerate(self.indicators)}
        missing = [c for c in framework.indicator_codes if c not in index]
        if missing:
            raise ValueError(f"dataset lacks indicators: {missing}")
        cols = [index[c] for c in framework.indicator_codes]
        return np.asarray(self.values[:, cols], dtype=np.float64)


@dataclass(frozen=True)
class ScoringOptions:
    """Every methodological choice in one place, so a result records how it was made."""

    normalise: NormaliseMethod = "minmax"
    bounds: tuple[float, float] = (0.0, 100.0)  # scale [l, u] of every method but zscore
    zscore: tuple[float, float] = (0.0, 1.0)  # zscore (mean m, sd s), e.g. (100, 10) for display
    constant: ConstantPolicy = "middle"  # "formula": 0/0 gives missing, as in COINr
    aggregate: AggregateMethod = "arith"
    missing: MissingPolicy = "exclude"
    min_coverage: float = 0.5
    winsorise: bool = False
    skew_threshold: float = 2.0
    kurt_threshold: float = 3.5
    winsorise_max_points: int = 5
    log_fallback: bool = True  # COINr: log-transform when winsorising cannot fix the skew
    target_cap: bool = True  # distance to target capped at the top of the scale
    weights: Mapping[str, float] | None = field(default=None, hash=False)  # overrides by code

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_coverage <= 1.0:
            raise ValueError("min_coverage must lie in [0, 1]")
        if self.bounds[0] >= self.bounds[1]:
            raise ValueError("bounds need l < u")
        if self.zscore[1] <= 0:
            raise ValueError("zscore sd must be > 0")
        if self.winsorise_max_points < 1:
            raise ValueError("winsorise_max_points must be >= 1")


@dataclass(frozen=True)
class TreatmentReport:
    """What outlier treatment did to one indicator (COINr `Treat` semantics)."""

    code: str
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float
    treated: bool  # failed the skew/kurtosis check, so treatment ran
    points: int  # values winsorised in the final data (COINr's nwin)
    log_transformed: bool  # winsorising failed; log_CT was applied to the original values
    fixed: bool  # passes the check afterwards


@dataclass(frozen=True)
class LevelScores:
    """Scores of all columns at one level (1 = normalised indicators)."""

    level: int
    codes: tuple[str, ...]
    scores: FloatArray  # units × codes
    coverage: FloatArray  # share of weight present in [0, 1]
    flags: FlagArray
    ranks: FloatArray  # 1 = best, ties → lowest rank, NaN = unranked
    peer_ranks: FloatArray | None  # ranks within the unit's peer group


@dataclass(frozen=True)
class ScoreResult:
    """Everything computed in one run, enough to explain any number in it."""

    units: tuple[str, ...]
    framework: Framework
    options: ScoringOptions
    raw: FloatArray  # input values in framework order
    treated: FloatArray  # after imputation and winsorisation
    normalised: FloatArray
    levels: tuple[LevelScores, ...]
    groups: LevelScores | None  # secondary grouping roll-up (level 0 by convention)
    treatment: tuple[TreatmentReport, ...]
    child_weights: Mapping[str, Mapping[str, float]]  # nominal, normalised within each parent

    @property
    def top(self) -> str:
        return self.framework.top

    def _find(self, code: str) -> tuple[LevelScores, int]:
        for lvl in self.levels:
            if code in lvl.codes:
                return lvl, lvl.codes.index(code)
        if self.groups is not None and code in self.groups.codes:
            return self.groups, self.groups.codes.index(code)
        raise KeyError(code)

    def score(self, code: str) -> FloatArray:
        lvl, j = self._find(code)
        return np.asarray(lvl.scores[:, j])

    def coverage(self, code: str) -> FloatArray:
        lvl, j = self._find(code)
        return np.asarray(lvl.coverage[:, j])

    def flags(self, code: str) -> FlagArray:
        lvl, j = self._find(code)
        return np.asarray(lvl.flags[:, j])

    def rank(self, code: str) -> FloatArray:
        lvl, j = self._find(code)
        return np.asarray(lvl.ranks[:, j])

    def unit_index(self, unit: str) -> int:
        return self.units.index(unit)


@dataclass(frozen=True)
class Contribution:
    """One indicator's part in one unit's node score."""

    indicator: str
    raw: float
    normalised: float
    weight_in_node: float  # effective weight after re-normalising over present children
    weight_in_top: float
    contribution: float  # arith: weight_in_node × normalised; geom: weight_in_node × ln(normalised)
    imputed: bool


@dataclass(frozen=True)
class Explanation:
    unit: str
    node: str
    score: float
    coverage: float
    aggregate: AggregateMethod
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class SimilarUnits:
    """k nearest units per unit (self excluded), by standardized Euclidean distance."""

    units: tuple[str, ...]
    neighbours: IntArray  # units × k, indices into `units`
    distances: FloatArray


@dataclass(frozen=True)
class UncertaintyOptions:
    """Which assumptions vary in the Monte Carlo and how much."""

    draws: int = 1000
    seed: int = 0
    concentration: float = 50.0  # Dirichlet α = concentration × nominal weights (higher = tighter)
    # "dirichlet": weights of each parent drawn from Dirichlet(concentration × nominal weights);
    # "uniform": COINr's noise, each weight × (1 + noise_factor·(2u − 1)), u ~ U(0, 1).
    weight_noise: WeightNoise = "dirichlet"
    noise_factor: float = 0.25
    normalisations: tuple[NormaliseMethod, ...] = ("minmax", "zscore", "pctrank")
    aggregations: tuple[AggregateMethod, ...] = ("arith", "geom")
    imputations: tuple[MissingPolicy, ...] = ("exclude", "impute_peer_median")
    vary_weights: bool = True
    chunk: int = 100  # draws per vectorised batch: bounds memory, not results

    def __post_init__(self) -> None:
        if self.draws < 2:
            raise ValueError("need at least 2 draws")
        if self.concentration <= 0:
            raise ValueError("concentration must be > 0")
        if self.weight_noise not in ("dirichlet", "uniform"):
            raise ValueError("weight_noise is dirichlet or uniform")
        if not 0 <= self.noise_factor < 1:
            raise ValueError("noise_factor must be in [0, 1): a weight must stay positive")
        if not (self.normalisations and self.aggregations and self.imputations):
            raise ValueError("each varied assumption needs at least one choice")
        if self.chunk < 1:
            raise ValueError("chunk must be >= 1")


@dataclass(frozen=True)
class UncertaintyResult:
    """Top-score rank distribution per unit (NaN: no rank in some draw's data) and sensitivity."""

    units: tuple[str, ...]
    nominal_rank: FloatArray
    median_rank: FloatArray
    rank_p05: FloatArray
    rank_p95: FloatArray
    sensitivity: Mapping[str, float]  # first-order index per varied assumption, mean over units
    draws: int
    seed: int

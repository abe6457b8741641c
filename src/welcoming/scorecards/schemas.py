"""The shape of a scorecard in the API (what `exports.scorecard_to_dict` gives), for the OpenAPI
document: which scores are shown, on how many characteristics, and what the trend compares."""

from typing import Literal

from ninja import Field, Schema


class ScorecardCommunity(Schema):
    code: str
    name_en: str | None
    name_fr: str | None
    level: str


class ScorecardProfile(Schema):
    name: str
    version: int


class ScoreNodeOut(Schema):
    code: str
    name: str
    score: float | None = Field(description="null: too little data, or not shown.")
    rank: int | None = Field(description="Among every community of the level; null: unranked.")
    peer_rank: int | None
    peer_median: float | None
    coverage: float = Field(
        description="Overall and groups: the share of the framework's (or the group's) "
        "characteristics with a score. A characteristic: the share of its weight with data."
    )
    shown: bool | None = Field(
        None,
        description="Overall and groups: false when coverage is below the profile's "
        "min_framework_coverage (the score is then null).",
    )
    characteristics_scored: int | None = None
    of: int | None = Field(None, description="Characteristics of the framework or the group.")


class ScoreIndicatorOut(Schema):
    code: str
    period: str
    value: float | None
    normalised: float | None
    weight: float
    contribution: float


class ScoredCharacteristicOut(ScoreNodeOut):
    gap_to_peer_median: float | None
    behind_peers: bool = Field(description="Behind the peer median by more than the rule's margin.")
    score_in_first_period: float | None = Field(
        description="In the trend's first period, when the characteristic was scored in both."
    )
    indicators: list[ScoreIndicatorOut]


class ScoreRankIntervalOut(Schema):
    median: float
    p05: float
    p95: float
    draws: int


class ScoreTrendOut(Schema):
    basis: Literal["overall", "characteristics", "none"] = Field(
        description="What compares: the overall score (same characteristics then and now), each "
        "characteristic scored in both periods, or nothing."
    )
    reason: Literal[
        "first-period",
        "same-characteristics",
        "characteristics-changed",
        "overall-not-shown",
        "nothing-in-common",
    ]
    explanation: str = Field(description="One sentence, in the language of the request.")
    first_period: str = Field(description="The community's own first period with data.")
    first_units: int = Field(description="Communities of the level scored then.")
    units: int = Field(description="Communities of the level scored now.")
    first_rank: int | None
    first_score: float | None
    added: list[str] = Field(description="Characteristics scored now, not then.")
    dropped: list[str] = Field(description="Characteristics scored then, not now.")


class ScorePriorityRuleOut(Schema):
    iqr_share: float
    min_points: float
    min_peers: int


class ScorecardOut(Schema):
    community: ScorecardCommunity
    period: str
    profile: ScorecardProfile
    units: int
    ranked: bool = Field(description="False for a level of one community: values, no ranks.")
    peers: int
    peer_group_size: int = Field(description="The profile's peer group, before any widening.")
    peers_widened: bool = Field(description="Fewer than 5 peers: the whole level compares.")
    peers_statement: str | None
    characteristics_scored: int
    characteristics_in_framework: int
    coverage_statement: str = Field(description='"Scored on N of 17 characteristics."')
    min_framework_coverage: float
    overall: ScoreNodeOut
    groups: list[ScoreNodeOut]
    characteristics: list[ScoredCharacteristicOut]
    qolrs_categories: list[ScoreNodeOut]
    rank_interval: ScoreRankIntervalOut | None
    trend: ScoreTrendOut | None
    priorities: list[str]
    priority_rule: ScorePriorityRuleOut
    priorities_statement: str
    needs_survey_data: list[str]
    no_data_yet: list[str]
    too_little_data: list[str] = Field(
        description="Characteristics measured at this level, with too little data here."
    )

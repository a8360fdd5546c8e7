"""The public profile: one carrier and what happened to it in one year (amounts in 万元).

The field names are a published contract (README, `python -m policies schema`): never rename them.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CarrierType = Literal["incubator", "accelerator", "maker_space"]
Level = Literal["none", "municipal", "provincial", "national"]
GradeLevel = Literal["national", "provincial"]
ContestLevel = Literal["city", "provincial"]

# Bounds keep every sum finite: 10^12 万元 is far beyond any public budget.
MAX_AMOUNT = 1e12
MAX_COUNT = 10**9
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class ContestAward(BaseModel):
    """One contest prize won this year by an enterprise of the carrier."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    level: ContestLevel = Field(description="city (市级) or provincial (省级) contest")
    rank: Literal[1, 2, 3] = Field(description="1 = 一等奖, 2 = 二等奖, 3 = 三等奖")
    rd_investment: Amount = Field(0.0, description="the project's total R&D investment, 万元")


class Profile(BaseModel):
    """Every field is optional; absent means 'did not happen' (False, 0 or an empty list)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, title="Incubator profile")

    carrier_type: CarrierType = Field(
        "incubator",
        description="incubator (科技企业孵化器) · accelerator (加速器) · maker_space (众创空间)",
    )
    level_before: Level = Field("none", description="recognition level before this year")
    level_after: Level = Field("none", description="recognition level after this year")
    converted_existing_building: bool = Field(
        False, description="the carrier was converted from existing property (存量房产改建)"
    )
    renovation_cost: Amount = Field(0.0, description="approved actual renovation cost, 万元")
    rated_excellent: bool = Field(
        False, description="rated excellent / benchmark in the local performance assessment"
    )
    evaluation_grade_a: list[GradeLevel] = Field(
        default_factory=list,
        description="grade A this year in the national and/or provincial performance evaluation",
    )
    new_high_tech_enterprises: Count = Field(
        0,
        description="tenants newly recognised as high-tech enterprises this year",
    )
    new_tech_smes: Count = Field(
        0, description="enterprises newly registered as technology-based SMEs this year"
    )
    graduated_enterprises: Count = Field(0, description="enterprises that graduated this year")
    free_workspace_and_broadband: bool = Field(
        False,
        description="zero-cost shared office space and free broadband provided to start-ups",
    )
    offshore_rent: list[Amount] = Field(
        default_factory=list,
        description=(
            "yearly rents of a recognised offshore incubator, years 1, 2, 3, … "
            "(year 1 is the profile's year), 万元"
        ),
    )
    major_platform: bool = Field(False, description="legal-person major S&T platform")
    especially_major_platform: bool = Field(
        False, description="case-by-case especially major industrial S&T platform (一事一议)"
    )
    rd_equipment_investment: Amount = Field(
        0.0, description="new R&D equipment investment within three years, 万元"
    )
    service_revenue: Amount = Field(
        0.0, description="an S&T service agency's invoiced revenue this year, 万元"
    )
    service_revenue_prev: Amount = Field(
        0.0, description="the same agency's invoiced revenue last year, 万元"
    )
    first_provincial_service_recognition: bool = Field(
        False,
        description="first recognition as provincial S&T public service platform or top-100 agency",
    )
    contest_awards: list[ContestAward] = Field(
        default_factory=list, description="contest prizes won this year"
    )
    # Fields added beyond the original contract, for clauses the contract did not cover.
    professional_carrier: bool = Field(
        False, description="a specialised (专业型) carrier, as Wuhan 2021 distinguishes"
    )
    first_angel_round_enterprises: Count = Field(
        0, description="start-ups in the carrier that closed a first angel round this year"
    )
    shared_instrument_testing_spend: Amount = Field(
        0.0,
        description="tenants' R&D testing spend on networked shared instruments, 万元",
    )
    hosted_major_event: bool = Field(
        False,
        description="the carrier organised an innovation/entrepreneurship event of major impact",
    )

    @field_validator("offshore_rent", "evaluation_grade_a")
    @classmethod
    def _short_list(cls, value: list) -> list:
        """Keep lists to a sane length so a hostile profile cannot blow up a computation."""
        if len(value) > 50:
            raise ValueError("at most 50 entries")
        return value

    @field_validator("evaluation_grade_a")
    @classmethod
    def _each_level_once(cls, value: list) -> list:
        """A carrier receives at most one grade per evaluation level in a year."""
        if len(set(value)) != len(value):
            raise ValueError("each evaluation level can appear only once")
        return value

    @field_validator("contest_awards")
    @classmethod
    def _few_awards(cls, value: list) -> list:
        """A carrier with more than 1,000 prizes a year is not a real case."""
        if len(value) > 1000:
            raise ValueError("at most 1000 awards")
        return value


class ProfileError(ValueError):
    """A profile was rejected; `problems` lists (field, reason) pairs, every one of them."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {r}" for f, r in problems))
        self.problems = problems


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(profile)"


def parse_profile(data: object) -> Profile:
    """Validate a decoded JSON value as a profile, listing every problem (never a traceback)."""
    if not isinstance(data, dict):
        raise ProfileError([("(profile)", f"expected a JSON object, got {type(data).__name__}")])
    try:
        return Profile.model_validate(data)
    except ValidationError as err:
        raise ProfileError([(_where(e["loc"]), e["msg"]) for e in err.errors()]) from None


def parse_profile_json(text: str | bytes) -> Profile:
    """Decode JSON text (rejecting NaN and Infinity) and validate it as a profile."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as err:
        raise ProfileError([("(profile)", f"not valid JSON: {err}")]) from None
    return parse_profile(data)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")

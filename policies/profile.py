"""The public profile: one carrier and what happened to it in one year (amounts in 万元).

The field names are a published contract (README, `python -m policies schema`): never rename them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

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

# What the interface needs of each profile field is declared on the field itself (`declared`):
# its label and help in both languages, its group in the form, its place among the what-if
# inputs, the form's practical maximum and its unit. Everything that lists fields (labels, the
# form, the what-if selector, the JSON Schema) is generated from these declarations.
FORM_GROUPS: tuple[str, ...] = (
    "carrier",
    "results",
    "space",
    "platforms",
    "service",
    "contests",
    "added",
)  # the form's groups, in their order when no ranking is given
# Practical maxima for the form, inside the profile's own bounds (which are far larger).
FORM_MAX_AMOUNT = 1_000_000.0  # 万元, i.e. 100亿元
FORM_MAX_COUNT = 10_000
WAN_YUAN = "万元"


@dataclass(frozen=True)
class FieldFacts:
    """One profile field's declared facts (the pydantic hook adds labels and help to the schema).

    `sweep` is the field's place in the what-if selector (None: not varied); `limit` is the
    form's maximum of the value, or of each entry's amount for a list; `unit` is that amount's;
    an `identity` field says what the carrier is (a near miss shows changing it apart).
    """

    label: tuple[str, str]  # zh, en
    hint: tuple[str, str]  # zh, en: the help shown beside the input
    group: str
    sweep: int | None = None
    limit: float | None = None
    unit: str | None = None
    identity: bool = False  # what the carrier is rather than what it did this year

    def __call__(self, schema: dict[str, Any]) -> None:
        schema["x-label"] = dict(zip(("zh", "en"), self.label, strict=True))
        schema["x-help"] = dict(zip(("zh", "en"), self.hint, strict=True))


def declared(
    default: Any = None,
    *,
    description: str,
    label: tuple[str, str],
    hint: tuple[str, str],
    group: str,
    sweep: int | None = None,
    limit: float | None = None,
    unit: str | None = None,
    identity: bool = False,
    default_factory: Any = None,
) -> Any:
    """A profile field: its description (the schema's) and its declared `FieldFacts`."""
    info = FieldFacts(label, hint, group, sweep, limit, unit, identity)
    if default_factory is not None:
        return Field(
            default_factory=default_factory, description=description, json_schema_extra=info
        )
    return Field(default, description=description, json_schema_extra=info)


class ContestAward(BaseModel):
    """One contest prize won this year by an enterprise of the carrier."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    level: ContestLevel = Field(description="city (市级) or provincial (省级) contest")
    rank: Literal[1, 2, 3] = Field(description="1 = 一等奖, 2 = 二等奖, 3 = 三等奖")
    rd_investment: Amount = Field(0.0, description="the project's total R&D investment, 万元")


class Profile(BaseModel):
    """Every field is optional; absent means 'did not happen' (False, 0 or an empty list)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, title="Incubator profile")

    carrier_type: CarrierType = declared(
        "incubator",
        description="incubator (科技企业孵化器) · accelerator (加速器) · maker_space (众创空间)",
        label=("载体类型", "carrier type"),
        hint=(
            "科技企业孵化器、加速器或众创空间。",
            "A technology business incubator, an accelerator or a maker space.",
        ),
        group="carrier",
        identity=True,
    )
    level_before: Level = declared(
        "none",
        description="recognition level before this year",
        label=("原认定级别", "level before"),
        hint=("今年之前的认定级别。", "The recognition level before this year."),
        group="carrier",
        identity=True,
    )
    level_after: Level = declared(
        "none",
        description="recognition level after this year",
        label=("现认定级别", "level after"),
        hint=(
            "今年之后的认定级别;高于原级别即为“今年升级”。",
            "The recognition level after this year; higher than before means upgraded this year.",
        ),
        group="carrier",
    )
    converted_existing_building: bool = declared(
        False,
        description="the carrier was converted from existing property (存量房产改建)",
        label=("存量房产改建", "converted existing building"),
        hint=(
            "载体由存量房产(如旧厂房)改建而成。",
            "The carrier was converted from existing property (e.g. an old factory).",
        ),
        group="space",
        identity=True,
    )
    renovation_cost: Amount = declared(
        0.0,
        description="approved actual renovation cost, 万元",
        label=("改造实际费用", "renovation cost"),
        hint=(
            "经审核的改造实际费用,单位万元。",
            "The approved actual renovation cost, in 万元 (10k CNY).",
        ),
        group="space",
        sweep=1,
        limit=FORM_MAX_AMOUNT,
        unit=WAN_YUAN,
    )
    rated_excellent: bool = declared(
        False,
        description="rated excellent / benchmark in the local performance assessment",
        label=("绩效考核优秀", "rated excellent"),
        hint=(
            "在本地绩效考核中被评为优秀或标杆。",
            "Rated excellent or benchmark in the local performance assessment.",
        ),
        group="results",
    )
    evaluation_grade_a: list[GradeLevel] = declared(
        default_factory=list,
        description="grade A this year in the national and/or provincial performance evaluation",
        label=("绩效评价A等次", "grade A evaluations"),
        hint=(
            "今年在国家级和/或省级绩效评价中获得 A 等次。",
            "Grade A this year in the national and/or provincial performance evaluation.",
        ),
        group="results",
    )
    new_high_tech_enterprises: Count = declared(
        0,
        description="tenants newly recognised as high-tech enterprises this year",
        label=("新认定高新技术企业数", "new high-tech enterprises"),
        hint=(
            "在孵企业中今年新认定为高新技术企业的家数。",
            "Tenants newly recognised as high-tech enterprises this year.",
        ),
        group="results",
        sweep=5,
        limit=FORM_MAX_COUNT,
    )
    new_tech_smes: Count = declared(
        0,
        description="enterprises newly registered as technology-based SMEs this year",
        label=("新入库科技型中小企业数", "new tech SMEs"),
        hint=(
            "今年新入库(评价入库)的科技型中小企业家数。",
            "Enterprises newly registered as technology-based SMEs this year.",
        ),
        group="results",
        sweep=6,
        limit=FORM_MAX_COUNT,
    )
    graduated_enterprises: Count = declared(
        0,
        description="enterprises that graduated this year",
        label=("毕业企业数", "graduated enterprises"),
        hint=("今年毕业的在孵企业家数。", "Tenants that graduated this year."),
        group="results",
        sweep=7,
        limit=FORM_MAX_COUNT,
    )
    free_workspace_and_broadband: bool = declared(
        False,
        description="zero-cost shared office space and free broadband provided to start-ups",
        label=("零成本办公与免费宽带", "free desks and broadband"),
        hint=(
            "为创业者提供零成本共享办公空间和免费宽带。",
            "Zero-cost shared office space and free broadband for start-ups.",
        ),
        group="space",
    )
    offshore_rent: list[Amount] = declared(
        default_factory=list,
        description=(
            "yearly rents of a recognised offshore incubator, years 1, 2, 3, … "
            "(year 1 is the profile's year), 万元"
        ),
        label=("离岸孵化器年租金", "offshore rent by year"),
        hint=(
            "经认定的离岸孵化器第 1、2、3… 年的租金,单位万元。",
            "The rent of a recognised offshore incubator in its years 1, 2, 3 …, "
            "in 万元 (10k CNY).",
        ),
        group="space",
        limit=FORM_MAX_AMOUNT,
        unit=WAN_YUAN,
    )
    major_platform: bool = declared(
        False,
        description="legal-person major S&T platform",
        label=("重大科技平台", "major S&T platform"),
        hint=("具有法人资格的重大科技平台。", "A legal-person major S&T platform."),
        group="platforms",
        identity=True,
    )
    especially_major_platform: bool = declared(
        False,
        description="case-by-case especially major industrial S&T platform (一事一议)",
        label=("特别重大平台", "especially major platform"),
        hint=(
            "一事一议的特别重大产业科技平台。",
            "A case-by-case especially major industrial S&T platform (一事一议).",
        ),
        group="platforms",
        identity=True,
    )
    rd_equipment_investment: Amount = declared(
        0.0,
        description="new R&D equipment investment within three years, 万元",
        label=("三年内新增研发设备投入", "new R&D equipment investment"),
        hint=(
            "三年内新增的研发设备投入,单位万元。",
            "New R&D equipment investment within three years, in 万元 (10k CNY).",
        ),
        group="platforms",
        sweep=2,
        limit=FORM_MAX_AMOUNT,
        unit=WAN_YUAN,
    )
    service_revenue: Amount = declared(
        0.0,
        description="an S&T service agency's invoiced revenue this year, 万元",
        label=("当年开票收入", "invoiced revenue this year"),
        hint=(
            "科技服务机构今年的开票收入,单位万元。",
            "The S&T service agency's invoiced revenue this year, in 万元 (10k CNY).",
        ),
        group="service",
        sweep=3,
        limit=FORM_MAX_AMOUNT,
        unit=WAN_YUAN,
    )
    service_revenue_prev: Amount = declared(
        0.0,
        description="the same agency's invoiced revenue last year, 万元",
        label=("上年开票收入", "invoiced revenue last year"),
        hint=(
            "同一机构上年的开票收入,单位万元;为 0 时无法计算增幅。",
            "The same agency's invoiced revenue last year, in 万元 (10k CNY); "
            "with 0, growth cannot be computed.",
        ),
        group="service",
        sweep=4,
        limit=FORM_MAX_AMOUNT,
        unit=WAN_YUAN,
    )
    first_provincial_service_recognition: bool = declared(
        False,
        description="first recognition as provincial S&T public service platform or top-100 agency",
        label=("首次获省级服务平台/百强认定", "first provincial recognition"),
        hint=(
            "首次被认定为省级科技公共服务平台或服务机构百强。",
            "First recognised as a provincial S&T public service platform or top-100 agency.",
        ),
        group="service",
    )
    contest_awards: list[ContestAward] = declared(
        default_factory=list,
        description="contest prizes won this year",
        label=("大赛获奖", "contest awards"),
        hint=(
            "在孵企业今年在大赛中获得的奖项,每行一项;可增删行。",
            "Contest prizes won by tenants this year, one per row; add or delete rows.",
        ),
        group="contests",
        limit=FORM_MAX_AMOUNT,
        unit=WAN_YUAN,
    )
    # Fields added beyond the original contract, for clauses the contract did not cover.
    professional_carrier: bool = declared(
        False,
        description="a specialised (专业型) carrier, as Wuhan 2021 distinguishes",
        label=("专业型载体", "specialised carrier"),
        hint=(
            "专业型(而非综合型)载体,武汉 2021 对此另有规定。",
            "A specialised (专业型) rather than general carrier, as Wuhan 2021 distinguishes.",
        ),
        group="added",
        identity=True,
    )
    first_angel_round_enterprises: Count = declared(
        0,
        description="start-ups in the carrier that closed a first angel round this year",
        label=("获首轮天使投资企业数", "firms with a first angel round"),
        hint=(
            "今年获得首轮天使投资的在孵企业家数。",
            "Tenants that closed a first angel round this year.",
        ),
        group="added",
        sweep=9,
        limit=FORM_MAX_COUNT,
    )
    shared_instrument_testing_spend: Amount = declared(
        0.0,
        description="tenants' R&D testing spend on networked shared instruments, 万元",
        label=("共享仪器检测服务金额", "shared-instrument testing spend"),
        hint=(
            "在孵企业使用入网共享仪器开展研发检测的金额,单位万元。",
            "Tenants' R&D testing spend on networked shared instruments, in 万元 (10k CNY).",
        ),
        group="added",
        sweep=8,
        limit=FORM_MAX_AMOUNT,
        unit=WAN_YUAN,
    )
    hosted_major_event: bool = declared(
        False,
        description="the carrier organised an innovation/entrepreneurship event of major impact",
        label=("举办重大影响力活动", "hosted a major event"),
        hint=(
            "载体今年举办了有重大影响力的创新创业活动。",
            "The carrier organised an innovation or entrepreneurship event of major impact "
            "this year.",
        ),
        group="added",
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


def field_facts(name: str) -> FieldFacts:
    """The declared facts of a profile field."""
    facts = Profile.model_fields[name].json_schema_extra
    if not isinstance(facts, FieldFacts):
        raise TypeError(f"profile field {name} is not declared with declared()")
    return facts


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

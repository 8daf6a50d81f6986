"""The rule file: every number and default reading of the growth plan.

Nothing in the engine hard-codes a threshold; it all comes from here, so a
tester can load a variant (`--rules FILE`) and watch the gating change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.core import money, timeutil, yamlio
from app.core.errors import InputError

CONTENT_DIR = Path(__file__).resolve().parent.parent.parent / "content"
DEFAULT_RULES = CONTENT_DIR / "rules.yaml"

_TOP_KEYS = {
    "version", "name", "campaign_start", "time_zone", "self_test", "tasks",
    "tiers", "between_tiers", "deadline", "settlement", "split", "stacking",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tier:
    """One row of the tier table, money in fen."""

    recharge: int
    daily_cap: int
    days: int


@dataclass(frozen=True, slots=True)
class Rules:
    """A loaded, checked rule file."""

    source: str
    name_en: str
    name_zh: str
    campaign_start: date
    time_zone: str
    pass_mark: int
    questions_per_attempt: int
    info_score_required: int  # hundredths of a point
    info_score_max: int
    products_required: int
    keywords_required: int
    tiers: tuple[Tier, ...]
    deadline_days: int
    payment_day: int  # the number the arrival day counts as (0 or 1)
    deadline_ends_at: time
    cutoff: time
    cutoff_zone: str
    split_tie: str  # "cash" or "red_packet"
    other_promotion: str  # "learn_only" or "allowed"

    @property
    def zone(self) -> ZoneInfo:
        return timeutil.zone(self.time_zone)

    @property
    def cutoff_tz(self) -> ZoneInfo:
        return timeutil.zone(self.cutoff_zone)

    def tier_for(self, recharge: int) -> Tier | None:
        """The row an opening recharge earns: between rows, the lower one."""
        chosen = None
        for tier in self.tiers:
            if recharge >= tier.recharge:
                chosen = tier
        return chosen

    def deadline_for(self, payment_date: date) -> int:
        """Last instant at which the waiver may still be activated."""
        last_day = payment_date + timedelta(days=self.deadline_days - self.payment_day)
        moment = datetime.combine(last_day, self.deadline_ends_at, self.zone)
        return timeutil.from_datetime(moment)

    def next_cutoff(self, ts: int) -> int:
        """The first settlement cutoff strictly after `ts`."""
        tz = self.cutoff_tz
        day = timeutil.local_date(ts, tz)
        cutoff = timeutil.from_datetime(datetime.combine(day, self.cutoff, tz))
        if cutoff <= ts:
            day += timedelta(days=1)
            cutoff = timeutil.from_datetime(datetime.combine(day, self.cutoff, tz))
        return cutoff

    def prev_cutoff(self, ts: int) -> int:
        """The last cutoff at or before `ts`: where `ts`'s window opened."""
        tz = self.cutoff_tz
        day = timeutil.local_date(ts, tz)
        cutoff = timeutil.from_datetime(datetime.combine(day, self.cutoff, tz))
        if cutoff > ts:
            day -= timedelta(days=1)
            cutoff = timeutil.from_datetime(datetime.combine(day, self.cutoff, tz))
        return cutoff


class _Reader:
    """Pulls typed values out of the parsed file, naming file:line: key on
    every complaint."""

    def __init__(self, path: Path, data: Any) -> None:
        self.path = path
        self.data = data

    def fail(self, keys: list[str | int], problem: str) -> InputError:
        return InputError(f"{yamlio.where(self.path, keys)}: {problem}")

    def get(self, keys: list[str | int]) -> Any:
        node = self.data
        for depth, key in enumerate(keys):
            if isinstance(key, int):
                node = node[key]
                continue
            if not isinstance(node, dict):
                raise self.fail(keys[:depth], "expected a mapping")
            if key not in node:
                raise self.fail(keys, "missing key")
            node = node[key]
        return node

    def mapping(self, keys: list[str | int], allowed: set[str]) -> dict:
        node = self.get(keys)
        if not isinstance(node, dict):
            raise self.fail(keys, f"expected a mapping, got {_kind(node)}")
        for key in node:
            if key not in allowed:
                raise self.fail([*keys, key], "unknown key")
        return node

    def integer(self, keys: list[str | int], low: int, high: int) -> int:
        value = self.get(keys)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(keys, f"expected a whole number, got {_kind(value)}")
        if not low <= value <= high:
            raise self.fail(keys, f"{value} is outside {low}..{high}")
        return value

    def score(self, keys: list[str | int]) -> int:
        value = self.get(keys)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.fail(keys, f"expected a number, got {_kind(value)}")
        hundredths = Decimal(value) * 100
        if hundredths != hundredths.to_integral_value() or hundredths < 0:
            raise self.fail(keys, f"{value} must be >= 0 with at most 2 decimals")
        return int(hundredths)

    def amount(self, keys: list[str | int]) -> int:
        where = yamlio.Where(self.path, keys)
        return money.parse_amount(self.get(keys), where)

    def choice(self, keys: list[str | int], options: tuple[str, ...]) -> str:
        value = self.get(keys)
        if value not in options:
            raise self.fail(keys, f"{value!r} is not one of {', '.join(options)}")
        return value

    def tz(self, keys: list[str | int]) -> str:
        value = self.get(keys)
        if not isinstance(value, str):
            raise self.fail(keys, f"expected a time zone name, got {_kind(value)}")
        try:
            timeutil.zone(value)
        except KeyError:
            raise self.fail(keys, f"unknown time zone {value!r}") from None
        return value

    def clock_time(self, keys: list[str | int]) -> time:
        return timeutil.parse_clock_time(self.get(keys), yamlio.Where(self.path, keys))

    def day(self, keys: list[str | int]) -> date:
        return timeutil.parse_date(self.get(keys), yamlio.Where(self.path, keys))


_kind = yamlio.describe


def load_rules(path: Path | str | None = None) -> Rules:
    """Load and check a rule file (default: content/rules.yaml)."""
    path = Path(path) if path is not None else DEFAULT_RULES
    data = yamlio.load(path)
    read = _Reader(path, data)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of rule keys, got {_kind(data)}")
    read.mapping([], _TOP_KEYS)
    version = read.integer(["version"], 1, 1)
    del version

    name = read.mapping(["name"], {"en", "zh"})
    for lang in ("en", "zh"):
        if not isinstance(name.get(lang), str):
            raise read.fail(["name", lang], "missing text")

    read.mapping(["self_test"], {"pass_mark", "questions_per_attempt"})
    read.mapping(["tasks"], {"info_score", "products", "keywords"})
    read.mapping(["tasks", "info_score"], {"required", "max"})
    read.mapping(["tasks", "products"], {"required"})
    read.mapping(["tasks", "keywords"], {"required"})
    read.mapping(["deadline"], {"days", "payment_day", "ends_at"})
    read.mapping(["settlement"], {"cutoff", "zone"})
    read.mapping(["split"], {"method", "tie"})
    read.mapping(["stacking"], {"other_promotion"})
    read.choice(["split", "method"], ("largest_remainder",))
    read.choice(["between_tiers"], ("lower",))

    info_required = read.score(["tasks", "info_score", "required"])
    info_max = read.score(["tasks", "info_score", "max"])
    if info_required > info_max:
        raise read.fail(["tasks", "info_score", "required"], "is above max")

    return Rules(
        source=str(path),
        name_en=name["en"],
        name_zh=name["zh"],
        campaign_start=read.day(["campaign_start"]),
        time_zone=read.tz(["time_zone"]),
        pass_mark=read.integer(["self_test", "pass_mark"], 0, 100),
        questions_per_attempt=read.integer(
            ["self_test", "questions_per_attempt"], 1, 100
        ),
        info_score_required=info_required,
        info_score_max=info_max,
        products_required=read.integer(["tasks", "products", "required"], 0, 10**6),
        keywords_required=read.integer(["tasks", "keywords", "required"], 0, 10**6),
        tiers=_read_tiers(read),
        deadline_days=read.integer(["deadline", "days"], 1, 3650),
        payment_day=read.integer(["deadline", "payment_day"], 0, 1),
        deadline_ends_at=read.clock_time(["deadline", "ends_at"]),
        cutoff=read.clock_time(["settlement", "cutoff"]),
        cutoff_zone=read.tz(["settlement", "zone"]),
        split_tie=read.choice(["split", "tie"], ("cash", "red_packet")),
        other_promotion=read.choice(
            ["stacking", "other_promotion"], ("learn_only", "allowed")
        ),
    )


def _read_tiers(read: _Reader) -> tuple[Tier, ...]:
    rows = read.get(["tiers"])
    if not isinstance(rows, list) or not rows:
        raise read.fail(["tiers"], "expected a non-empty list of tier rows")
    tiers: list[Tier] = []
    for index in range(len(rows)):
        read.mapping(["tiers", index], {"recharge", "daily_cap", "days"})
        tier = Tier(
            recharge=read.amount(["tiers", index, "recharge"]),
            daily_cap=read.amount(["tiers", index, "daily_cap"]),
            days=read.integer(["tiers", index, "days"], 1, 3650),
        )
        if tier.recharge <= 0 or tier.daily_cap <= 0:
            raise read.fail(["tiers", index], "recharge and daily_cap must be > 0")
        if tiers and tier.recharge <= tiers[-1].recharge:
            problem = "overlaps" if tier.recharge == tiers[-1].recharge else "is below"
            raise read.fail(
                ["tiers", index, "recharge"],
                f"{problem} the row before it: rows must rise by recharge",
            )
        tiers.append(tier)
    return tuple(tiers)

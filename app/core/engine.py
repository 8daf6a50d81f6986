"""The growth plan engine: one advertiser's account, step by step.

Every action happens at the engine's simulated clock and is appended to
`events` as a plain JSON dict. `Engine.replay` rebuilds the same state from
those events, so a saved profile is just the account, the events and the
clock. Moving the clock settles every cutoff it passes, one window at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from app.core import i18n, money, timeutil
from app.core.errors import InputError
from app.core.rules import Rules, Tier

STAGES = ("ineligible", "self_test", "tasks", "ready", "waiver", "finished", "lapsed")

# The order in which activation checks apply: the first that fails is the
# one refusal recorded (scenarios.md, "Stage and refusals").
ACTIVATION_CHECKS = (
    "not_eligible",
    "already_active",
    "deadline_passed",
    "not_paid",
    "self_test_not_passed",
    "tasks_not_met",
    "below_minimum_recharge",
    "other_promotion",
)

# Replay needs only the facts; these kinds are notes for people.
_NOTE_KINDS = frozenset({"refusal", "popup"})


class ClockError(InputError):
    """The simulated clock was asked to move backwards."""


@dataclass(slots=True)
class Account:
    """What an advertiser starts with. Money in fen, score in hundredths."""

    first_p4p_date: date
    payment_date: date
    recharge: int
    cash: int
    red_packet: int = 0
    coupons: int = 0
    other_promotion: bool = False
    ran_p4p_before: bool = False
    info_score: int = 0
    products: int = 0
    keywords: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["first_p4p_date"] = self.first_p4p_date.isoformat()
        data["payment_date"] = self.payment_date.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        """Inverse of `to_json`; raises InputError naming a bad field."""
        if not isinstance(data, dict):
            raise InputError("account: expected a mapping")
        values = dict(data)
        try:
            values["first_p4p_date"] = date.fromisoformat(values["first_p4p_date"])
            values["payment_date"] = date.fromisoformat(values["payment_date"])
            account = cls(**values)
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"account: {error}") from None
        for name in ("first_p4p_date", "payment_date"):
            day = getattr(account, name)
            if not timeutil.MIN_DATE <= day <= timeutil.MAX_DATE:
                raise InputError(
                    f"account.{name}: {day} is outside the supported dates "
                    f"({timeutil.RANGE_TEXT})"
                )
        for name in ("recharge", "cash", "red_packet", "coupons", "info_score",
                     "products", "keywords"):  # fmt: skip
            value = getattr(account, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(f"account.{name}: expected a whole number >= 0")
        return account


@dataclass(slots=True)
class LedgerRow:
    """One settled P4P window (cutoff to cutoff). Money in fen."""

    window_start: int
    window_end: int
    waiver_day: int | None
    spend: int
    waived: int
    coupon: int
    cash: int
    red_packet: int

    def to_report(self) -> dict[str, Any]:
        return {
            "window_start": timeutil.iso(self.window_start),
            "window_end": timeutil.iso(self.window_end),
            "waiver_day": self.waiver_day,
            "spend": money.fmt(self.spend),
            "waived": money.fmt(self.waived),
            "coupon": money.fmt(self.coupon),
            "cash": money.fmt(self.cash),
            "red_packet": money.fmt(self.red_packet),
        }


@dataclass(slots=True)
class Refusal:
    """An action the rules refused: a code from the contract and the values
    its message needs. `action` is the scenario's action index, if any."""

    code: str
    at: int
    values: dict[str, str] = field(default_factory=dict)
    action: int | None = None

    def message(self, lang: str) -> str:
        values = dict(self.values)
        if "missing" in values:
            # Stored as task keys so that the event log stays language-free.
            sep = "、" if lang == "zh" else ", "
            values["missing"] = sep.join(
                i18n.t(f"task.{key}", lang) for key in values["missing"].split(",")
            )
        return i18n.t(f"refusal.{self.code}", lang, **values)


@dataclass(slots=True)
class Attempt:
    """One self-test attempt."""

    at: int
    score: int
    passed: bool
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Settlement:
    """What settling the open window would do right now (or did)."""

    waiver_day: int | None
    spend: int
    waived: int
    coupon: int
    cash: int
    red_packet: int


class Engine:
    """The state of one account under one rule file."""

    def __init__(self, rules: Rules, account: Account, clock: int) -> None:
        if not timeutil.in_range(clock):
            raise ClockError(
                f"clock {clock} is outside the supported times ({timeutil.RANGE_TEXT})"
            )
        self.rules = rules
        self.account = account
        self.start_clock = clock
        self.clock = clock
        self.events: list[dict[str, Any]] = []
        self.refusals: list[Refusal] = []
        self.current_action: int | None = None
        self._recording = True
        # Set by the app to stamp events with the real time (epoch seconds)
        # as `real`; None in scenarios and tests. Replay ignores `real`.
        self.real_clock: Callable[[], int] | None = None

        # Balances after the last settlement; `held` is the open window.
        self.cash = account.cash
        self.red_packet = account.red_packet
        self.coupons = account.coupons
        self.held = 0

        # Live task numbers (R11: judged live until activation).
        self.info_score = account.info_score
        self.products = account.products
        self.keywords = account.keywords

        self.popup_shown_at: int | None = None
        self.attempts: list[Attempt] = []
        self.activated_at: int | None = None
        self.days_used = 0
        self.ledger: list[LedgerRow] = []

        self.window_start = rules.prev_cutoff(clock)
        self.window_end = rules.next_cutoff(clock)
        self._window_spend_events: list[int] = []

        self.tier: Tier | None = rules.tier_for(account.recharge)
        self.deadline = rules.deadline_for(account.payment_date)
        self.eligible = (
            not account.ran_p4p_before
            and account.first_p4p_date >= rules.campaign_start
        )

    # ------------------------------------------------------------------ clock

    def advance_to(self, ts: int) -> list[LedgerRow]:
        """Move the clock to `ts`, settling every cutoff passed, in order.

        Returns the ledger rows written (windows with no spend outside the
        waiver settle silently). Moving to the current time does nothing.
        """
        if ts < self.clock:
            raise ClockError(
                f"the clock cannot go back from {timeutil.show(self.clock, True)} "
                f"to {timeutil.show(ts, True)}"
            )
        if ts > timeutil.MAX_TS:
            raise ClockError(
                f"the clock cannot go past {timeutil.show(timeutil.MAX_TS, True)} "
                f"(supported times: {timeutil.RANGE_TEXT})"
            )
        written: list[LedgerRow] = []
        while self.window_end <= ts:
            row = self._settle()
            if row is not None:
                written.append(row)
        self.clock = ts
        return written

    def advance_by(self, seconds: int) -> list[LedgerRow]:
        return self.advance_to(self.clock + seconds)

    def _settle(self) -> LedgerRow | None:
        """Settle the open window at its cutoff and open the next one."""
        outcome = self.preview_settlement()
        self.cash -= outcome.cash
        self.red_packet -= outcome.red_packet
        self.coupons -= outcome.coupon
        if outcome.waiver_day is not None:
            self.days_used += 1

        row = None
        if outcome.spend or outcome.waiver_day is not None:
            row = LedgerRow(
                self.window_start, self.window_end, outcome.waiver_day,
                outcome.spend, outcome.waived, outcome.coupon,
                outcome.cash, outcome.red_packet,
            )  # fmt: skip
            self.ledger.append(row)

        self._merge_window_spends()
        self.held = 0
        self.window_start = self.window_end
        self.window_end = self.rules.next_cutoff(self.window_end)
        return row

    def preview_settlement(self) -> Settlement:
        """What the settlement at the next cutoff does with what is held now:
        the waiver first (R17, R21), coupons only outside the waiver (R19),
        the rest split between cash and red packet (R20)."""
        spend = self.held
        waiver_day = self.open_waiver_day
        if waiver_day is not None:
            assert self.tier is not None
            waived = min(spend, self.tier.daily_cap)
            coupon = 0
        else:
            waived = 0
            coupon = min(self.coupons, spend)
        rest = spend - waived - coupon
        cash, red_packet = self._split(rest)
        return Settlement(waiver_day, spend, waived, coupon, cash, red_packet)

    def _split(self, amount: int) -> tuple[int, int]:
        if self.rules.split_tie == "red_packet":
            red_packet, cash = money.split(amount, self.red_packet, self.cash)
            return cash, red_packet
        return money.split(amount, self.cash, self.red_packet)

    def _merge_window_spends(self) -> None:
        """Fold a settled window's spend events into its last one: only the
        window's total matters to the ledger, and the feed would otherwise
        grow the profile without bound."""
        indexes = self._window_spend_events
        if len(indexes) > 1:
            total = sum(self.events[i]["fen"] for i in indexes)
            keep = indexes[-1]
            self.events[keep] = {
                **self.events[keep],
                "fen": total,
                "merged": len(indexes),
            }
            drop = set(indexes[:-1])
            first = indexes[0]
            self.events[first:] = [
                event
                for offset, event in enumerate(self.events[first:], start=first)
                if offset not in drop
            ]
        self._window_spend_events = []

    # ---------------------------------------------------------------- queries

    @property
    def open_waiver_day(self) -> int | None:
        """The waiver day number of the open window, if it is one (R16, R18)."""
        if self.activated_at is None or self.tier is None:
            return None
        if self.days_used >= self.tier.days:
            return None
        return self.days_used + 1

    @property
    def self_test_passed(self) -> bool:
        return any(attempt.passed for attempt in self.attempts)

    @property
    def best_score(self) -> int | None:
        return max((a.score for a in self.attempts), default=None)

    def task_status(self) -> dict[str, tuple[int, int, bool]]:
        """Each task: (live value, required, met)."""
        rules = self.rules
        return {
            "info_score": (
                self.info_score,
                rules.info_score_required,
                self.info_score >= rules.info_score_required,
            ),
            "products": (
                self.products,
                rules.products_required,
                self.products >= rules.products_required,
            ),
            "keywords": (
                self.keywords,
                rules.keywords_required,
                self.keywords >= rules.keywords_required,
            ),
        }

    @property
    def tasks_met(self) -> bool:
        return all(met for _, _, met in self.task_status().values())

    @property
    def available(self) -> int:
        """What ads can still serve: settled cash + red packet - held."""
        return self.cash + self.red_packet - self.held

    @property
    def ads_online(self) -> bool:
        return self.available > 0

    @property
    def stage(self) -> str:
        """Precedence: ineligible, finished / waiver, lapsed, then the steps."""
        if not self.eligible:
            return "ineligible"
        if self.activated_at is not None:
            assert self.tier is not None
            return "finished" if self.days_used >= self.tier.days else "waiver"
        if self.clock > self.deadline:
            return "lapsed"
        if not self.self_test_passed:
            return "self_test"
        if not self.tasks_met:
            return "tasks"
        return "ready"

    @property
    def payment_arrives(self) -> int:
        return timeutil.day_start(self.account.payment_date, self.rules.zone)

    @property
    def days_left(self) -> int | None:
        if self.tier is None:
            return None
        return self.tier.days - self.days_used

    def waiver_day_window(self, day: int) -> tuple[int, int] | None:
        """Start and end of waiver day `day` (1-based), once activated."""
        if self.activated_at is None:
            return None
        start = self.rules.prev_cutoff(self.activated_at)
        for _ in range(day - 1):
            start = self.rules.next_cutoff(start)
        return start, self.rules.next_cutoff(start)

    def activation_check(self) -> Refusal | None:
        """The first rule that would refuse activation now, or None."""
        rules = self.rules
        at = self.clock
        if not self.eligible:
            return Refusal(
                "not_eligible", at, {"campaign_start": str(rules.campaign_start)}
            )
        if self.activated_at is not None:
            return Refusal(
                "already_active", at, {"activated_at": timeutil.show(self.activated_at)}
            )
        if self.clock > self.deadline:
            return Refusal(
                "deadline_passed", at, {"deadline": timeutil.show(self.deadline, True)}
            )
        if self.clock < self.payment_arrives:
            return Refusal(
                "not_paid", at, {"payment_date": str(self.account.payment_date)}
            )
        if not self.self_test_passed:
            best = self.best_score
            return Refusal(
                "self_test_not_passed",
                at,
                {
                    "pass_mark": str(rules.pass_mark),
                    "best_score": "-" if best is None else str(best),
                },
            )
        if not self.tasks_met:
            missing = [
                key for key, (_, _, met) in self.task_status().items() if not met
            ]
            return Refusal("tasks_not_met", at, {"missing": ",".join(missing)})
        if self.tier is None:
            return Refusal(
                "below_minimum_recharge",
                at,
                {
                    "recharge": money.fmt_grouped(self.account.recharge),
                    "minimum": money.fmt_grouped(rules.tiers[0].recharge),
                },
            )
        if self.account.other_promotion and rules.other_promotion == "learn_only":
            return Refusal("other_promotion", at)
        return None

    # ---------------------------------------------------------------- actions

    def _record(self, kind: str, **data: Any) -> None:
        if self._recording:
            self.events.append({"kind": kind, "at": self.clock, **data})
            self._stamp()

    def _stamp(self) -> None:
        """Add the real time to the event just appended, if asked to."""
        if self.real_clock is not None:
            self.events[-1]["real"] = self.real_clock()

    def _refuse(self, refusal: Refusal) -> Refusal:
        refusal.action = self.current_action
        self.refusals.append(refusal)
        if self._recording:
            self.events.append(
                {
                    "kind": "refusal",
                    "at": refusal.at,
                    "code": refusal.code,
                    "values": refusal.values,
                }
            )
            self._stamp()
        return refusal

    def open_marketing_center(self) -> None:
        """R3: the newcomer popup shows; this gates nothing."""
        if self.popup_shown_at is None:
            self.popup_shown_at = self.clock
        self._record("open_marketing_center")

    def take_self_test(
        self, score: int, details: dict[str, Any] | None = None
    ) -> Attempt:
        """Record an attempt; never refused (steps can always be practised)."""
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not 0 <= score <= 100
        ):
            raise InputError(f"self-test score {score!r} is not a whole number 0..100")
        attempt = Attempt(
            self.clock, score, score >= self.rules.pass_mark, details or {}
        )
        self.attempts.append(attempt)
        self._record("self_test", score=score, details=attempt.details)
        return attempt

    def set_info_score(self, hundredths: int) -> None:
        if not 0 <= hundredths <= self.rules.info_score_max:
            raise InputError(
                f"information display score {hundredths / 100} is outside "
                f"0.0..{self.rules.info_score_max / 100}"
            )
        self.info_score = hundredths
        self._record("set_info_score", value=hundredths)

    def add_products(self, count: int) -> None:
        """Promote (or, negative, un-promote) products; judged live (R11)."""
        self._change_count("products", count)

    def add_keywords(self, count: int) -> None:
        """Add (or, negative, remove) keywords; judged live (R11)."""
        self._change_count("keywords", count)

    def _change_count(self, task: str, count: int) -> None:
        now = getattr(self, task)
        if now + count < 0:
            raise InputError(f"cannot remove {-count} {task}: only {now} in promotion")
        setattr(self, task, now + count)
        self._record(f"add_{task}", count=count)

    def activate(self) -> Refusal | None:
        """R12-R16: activate the waiver, or return the refusal."""
        refusal = self.activation_check()
        if refusal is not None:
            self._record("activate")
            return self._refuse(refusal)
        self.activated_at = self.clock
        self._record("activate")
        return None

    def spend(self, fen: int) -> int:
        """Accrue spend in the open window; returns what was accrued.

        Ads serve only while something is available: the part beyond that is
        not accrued and a `no_balance` refusal is recorded.
        """
        if fen < 0:
            raise InputError("spend cannot be negative")
        accrued = min(fen, max(self.available, 0))
        if accrued:
            self.held += accrued
            if self._recording:
                self._window_spend_events.append(len(self.events))
                self.events.append({"kind": "spend", "at": self.clock, "fen": accrued})
                self._stamp()
        if accrued < fen:
            self._refuse(
                Refusal(
                    "no_balance",
                    self.clock,
                    {"accrued": money.fmt(accrued), "asked": money.fmt(fen)},
                )
            )
        return accrued

    def top_up(self, cash: int = 0, red_packet: int = 0, coupons: int = 0) -> None:
        """Add money; the tier never changes with a top-up (R15)."""
        if min(cash, red_packet, coupons) < 0:
            raise InputError("a top-up cannot be negative")
        self.cash += cash
        self.red_packet += red_packet
        self.coupons += coupons
        self._record("top_up", cash=cash, red_packet=red_packet, coupons=coupons)

    # ----------------------------------------------------------------- replay

    @classmethod
    def replay(
        cls,
        rules: Rules,
        account: Account,
        start_clock: int,
        events: list[dict[str, Any]],
        clock: int | None = None,
    ) -> Engine:
        """Rebuild an engine from its events (and move to `clock`)."""
        engine = cls(rules, account, start_clock)
        engine._recording = False
        try:
            for position, event in enumerate(events):
                engine._apply(event, position)
            if clock is not None:
                engine.advance_to(max(clock, engine.clock))
        finally:
            engine._recording = True
        engine.events = list(events)
        engine._window_spend_events = [
            index
            for index, event in enumerate(events)
            if event.get("kind") == "spend" and event["at"] >= engine.window_start
        ]
        return engine

    def _apply(self, event: dict[str, Any], position: int) -> None:
        try:
            kind = event["kind"]
            at = event["at"]
            if isinstance(at, bool) or not isinstance(at, int):
                raise TypeError("'at' must be epoch seconds")
            self.advance_to(at)
            if kind in _NOTE_KINDS:
                if kind == "refusal":
                    self.refusals.append(
                        Refusal(event["code"], at, dict(event.get("values", {})))
                    )
                return
            if kind == "open_marketing_center":
                self.open_marketing_center()
            elif kind == "self_test":
                self.take_self_test(event["score"], event.get("details"))
            elif kind == "set_info_score":
                self.set_info_score(event["value"])
            elif kind == "add_products":
                self.add_products(event["count"])
            elif kind == "add_keywords":
                self.add_keywords(event["count"])
            elif kind == "activate":
                if self.activation_check() is None:
                    self.activated_at = self.clock
            elif kind == "spend":
                self.spend(event["fen"])
            elif kind == "top_up":
                self.top_up(event["cash"], event["red_packet"], event["coupons"])
            else:
                raise KeyError(f"unknown event kind {kind!r}")
        except (KeyError, TypeError, ValueError, InputError) as error:
            raise InputError(f"event {position}: {error}") from None

    # ----------------------------------------------------------------- report

    def report(self, lang: str = "en") -> dict[str, Any]:
        """The JSON report of the scenario contract (scenarios.md)."""
        tier = self.tier
        tasks = {
            key: {
                "value": value / 100 if key == "info_score" else value,
                "required": required / 100 if key == "info_score" else required,
                "met": met,
            }
            for key, (value, required, met) in self.task_status().items()
        }
        return {
            "stage": self.stage,
            "clock": timeutil.iso(self.clock),
            "self_test": {
                "passed": self.self_test_passed,
                "best_score": self.best_score,
                "attempts": len(self.attempts),
            },
            "tasks": tasks,
            "waiver": {
                "tier": None
                if tier is None
                else {
                    "recharge": money.fmt(tier.recharge),
                    "daily_cap": money.fmt(tier.daily_cap),
                    "days": tier.days,
                },
                "deadline": timeutil.iso(self.deadline),
                "activated_at": None
                if self.activated_at is None
                else timeutil.iso(self.activated_at),
                "days_used": self.days_used,
                "days_left": self.days_left,
            },
            "ledger": [row.to_report() for row in self.ledger],
            "balances": {
                "cash": money.fmt(self.cash),
                "red_packet": money.fmt(self.red_packet),
                "coupons": money.fmt(self.coupons),
                "held": money.fmt(self.held),
            },
            "refusals": [
                {"action": r.action, "code": r.code, "message": r.message(lang)}
                for r in self.refusals
            ],
        }

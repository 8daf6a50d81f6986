"""Worked numbers for questions and lessons, computed by the engine.

A question's `check: {calc: NAME, ...}` and a lesson's
`{{calc:NAME key=value}}` both land in `evaluate`. Every function builds a
fresh account, drives `Engine` through the steps (pass the self-test, meet
the tasks, activate, spend, move the clock) and reads the answer off the
engine's own state or ledger, so the numbers in the content can never drift
from what the simulator does: a rule change that alters them fails
check-content.

Results are strings exactly as the content writes them: amounts `"100.00"`,
day counts `"30"`, a deadline `"2026-03-31 23:59:59"` and waiver-day ends
`"2026-07-02 16:00"`, both in Beijing time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from app.core import money, timeutil
from app.core.engine import Account, Engine, LedgerRow
from app.core.errors import InputError
from app.core.rules import Rules, load_rules


@dataclass(frozen=True, slots=True)
class _Args:
    """The arguments of one call, parsed on demand with good messages."""

    name: str
    values: Mapping[str, Any]

    def where(self, key: str) -> str:
        return f"calc {self.name}: {key}"

    def has(self, key: str) -> bool:
        return key in self.values

    def amount(self, key: str, default: int | None = None) -> int:
        if key not in self.values and default is not None:
            return default
        return money.parse_amount(self.values[key], self.where(key))

    def day(self, key: str) -> date:
        return timeutil.parse_date(self.values[key], self.where(key))

    def moment(self, key: str) -> int:
        return timeutil.parse_time(self.values[key], self.where(key))


def _account(
    rules: Rules,
    recharge: int,
    cash: int | None = None,
    red_packet: int = 0,
    coupons: int = 0,
    payment_date: date | None = None,
) -> Account:
    """A newcomer who can activate: eligible, tasks met from the start."""
    return Account(
        first_p4p_date=rules.campaign_start,
        payment_date=payment_date or rules.campaign_start,
        recharge=recharge,
        cash=recharge if cash is None else cash,
        red_packet=red_packet,
        coupons=coupons,
        info_score=rules.info_score_required,
        products=rules.products_required,
        keywords=rules.keywords_required,
    )


def _payment_start(rules: Rules, account: Account) -> int:
    """The moment the payment arrives: midnight of the payment day."""
    return timeutil.day_start(account.payment_date, rules.zone)


def _activate(engine: Engine) -> bool:
    """Pass the self-test and activate; False if the rules refuse (for
    instance a recharge below the lowest tier)."""
    engine.take_self_test(100)
    return engine.activate() is None


def _settle_one_day(engine: Engine, spend: int, what: str) -> LedgerRow:
    """Spend in the open window, settle it, return its ledger row."""
    accrued = engine.spend(spend)
    if accrued != spend:
        raise InputError(
            f"calc {what}: spend {money.fmt(spend)} is more than cash + red "
            f"packet ({money.fmt(accrued)} could be spent)"
        )
    end = engine.window_end
    rows = engine.advance_to(end)
    if not rows:  # only when nothing was spent outside the waiver
        return LedgerRow(end, end, None, 0, 0, 0, 0, 0)
    return rows[-1]


def _waiver_day(args: _Args, rules: Rules) -> LedgerRow:
    """Waiver day 1 of an account activated right after its payment."""
    recharge = args.amount("recharge")
    spend = args.amount("spend")
    account = _account(
        rules,
        recharge,
        cash=args.amount("cash", recharge),
        red_packet=args.amount("red_packet", 0),
    )
    engine = Engine(rules, account, _payment_start(rules, account))
    _activate(engine)
    return _settle_one_day(engine, spend, args.name)


def _tier_cap(args: _Args, rules: Rules) -> str:
    account = _account(rules, args.amount("recharge"))
    tier = Engine(rules, account, _payment_start(rules, account)).tier
    return money.fmt(0 if tier is None else tier.daily_cap)


def _tier_days(args: _Args, rules: Rules) -> str:
    account = _account(rules, args.amount("recharge"))
    tier = Engine(rules, account, _payment_start(rules, account)).tier
    return str(0 if tier is None else tier.days)


def _deadline(args: _Args, rules: Rules) -> str:
    account = _account(rules, 0, payment_date=args.day("payment_date"))
    engine = Engine(rules, account, _payment_start(rules, account))
    return timeutil.show(engine.deadline, seconds=True)


def _waived(args: _Args, rules: Rules) -> str:
    return money.fmt(_waiver_day(args, rules).waived)


def _charged_cash(args: _Args, rules: Rules) -> str:
    return money.fmt(_waiver_day(args, rules).cash)


def _charged_red_packet(args: _Args, rules: Rules) -> str:
    return money.fmt(_waiver_day(args, rules).red_packet)


def _coupon_used(args: _Args, rules: Rules) -> str:
    """A day outside the waiver: the account never activates."""
    spend = args.amount("spend")
    account = _account(
        rules,
        args.amount("recharge", 0),
        cash=args.amount("cash", spend),
        red_packet=args.amount("red_packet", 0),
        coupons=args.amount("coupons"),
    )
    engine = Engine(rules, account, _payment_start(rules, account))
    return money.fmt(_settle_one_day(engine, spend, args.name).coupon)


def _activated_engine(args: _Args, rules: Rules) -> Engine:
    """An engine whose waiver was activated at `activated`."""
    activated = args.moment("activated")
    recharge = args.amount("recharge", rules.tiers[0].recharge)
    account = _account(
        rules, recharge, payment_date=timeutil.local_date(activated, rules.zone)
    )
    engine = Engine(rules, account, _payment_start(rules, account))
    engine.advance_to(activated)
    if not _activate(engine):
        assert engine.refusals
        code = engine.refusals[-1].code
        raise InputError(
            f"calc {args.name}: the engine refuses activation ({code}); "
            f"recharge {money.fmt(recharge)} has no waiver days"
        )
    return engine


def _waiver_day_end(engine: Engine, day: int) -> str:
    """Run the clock until waiver day `day` settles; its window's end."""
    while True:
        for row in engine.advance_to(engine.window_end):
            if row.waiver_day == day:
                return timeutil.show(row.window_end)
        if engine.open_waiver_day is None:  # pragma: no cover - engine bug
            raise InputError(f"waiver day {day} never settled")


def _waiver_day1_end(args: _Args, rules: Rules) -> str:
    return _waiver_day_end(_activated_engine(args, rules), 1)


def _last_waiver_day_end(args: _Args, rules: Rules) -> str:
    engine = _activated_engine(args, rules)
    assert engine.tier is not None
    return _waiver_day_end(engine, engine.tier.days)


_Function = Callable[[_Args, Rules], str]

# name -> (function, required args, optional args)
FUNCTIONS: dict[str, tuple[_Function, tuple[str, ...], tuple[str, ...]]] = {
    "tier_cap": (_tier_cap, ("recharge",), ()),
    "tier_days": (_tier_days, ("recharge",), ()),
    "deadline": (_deadline, ("payment_date",), ()),
    "waived": (_waived, ("recharge", "spend"), ("cash", "red_packet")),
    "charged_cash": (
        _charged_cash,
        ("recharge", "spend", "cash", "red_packet"),
        (),
    ),
    "charged_red_packet": (
        _charged_red_packet,
        ("recharge", "spend", "cash", "red_packet"),
        (),
    ),
    "coupon_used": (
        _coupon_used,
        ("spend", "coupons"),
        ("recharge", "cash", "red_packet"),
    ),
    "waiver_day1_end": (_waiver_day1_end, ("activated",), ("recharge",)),
    "last_waiver_day_end": (_last_waiver_day_end, ("recharge", "activated"), ()),
}


def evaluate(name: str, args: Mapping[str, Any], rules: Rules | None = None) -> str:
    """The result of calc function `name` with `args` under `rules` (default
    rule file when None). Values may be text, or numbers and dates as YAML
    reads them. InputError for an unknown name, a missing, unknown or bad
    argument, or a case the engine refuses."""
    entry = FUNCTIONS.get(name) if isinstance(name, str) else None
    if entry is None:
        raise InputError(
            f"unknown calc {name!r} (expected one of {', '.join(FUNCTIONS)})"
        )
    function, required, optional = entry
    for key in args:
        if key not in required and key not in optional:
            allowed = ", ".join((*required, *optional))
            raise InputError(
                f"calc {name}: unknown argument {key!r} (expected {allowed})"
            )
    for key in required:
        if key not in args:
            raise InputError(f"calc {name}: missing argument {key!r}")
    for key, value in args.items():
        if (
            isinstance(value, bool)
            or value is None
            or isinstance(value, list | dict | datetime | time)
        ):
            raise InputError(f"calc {name}: {key}: {value!r} is not a value")
    if rules is None:
        rules = load_rules()
    try:
        return function(_Args(name, args), rules)
    except (OverflowError, ValueError, ArithmeticError) as error:
        # Dates or amounts beyond what the calendar or the clock can hold.
        raise InputError(f"calc {name}: {error}") from None

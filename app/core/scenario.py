"""Scenario files: a case described once in YAML, run on the engine.

The contract is `shared/spec/scenarios.md`. Parsing is strict: any unknown
key exits 2 naming it, so a typo cannot pass silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.core import money, timeutil, yamlio
from app.core.engine import Account, Engine
from app.core.errors import InputError
from app.core.rules import Rules, load_rules

TOP_KEYS = {"name", "description", "clock", "account", "actions", "expect", "rules"}
ACCOUNT_REQUIRED = ("first_p4p_date", "payment_date", "recharge")
ACCOUNT_OPTIONAL = (
    "cash", "red_packet", "coupons", "other_promotion", "ran_p4p_before",
    "info_score", "products", "keywords",
)  # fmt: skip
ACTIONS = (
    "open_marketing_center", "self_test", "set_info_score", "add_products",
    "add_keywords", "activate_waiver", "spend", "advance", "at", "top_up",
)  # fmt: skip
_BARE_ACTIONS = {"open_marketing_center", "activate_waiver"}
_PATH_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")


@dataclass
class Scenario:
    """A parsed scenario file."""

    path: Path
    name: str
    description: str
    clock: int
    account: Account
    actions: list[Any]
    expect: dict[str, Any] | None
    rules_path: Path | None


@dataclass
class ExpectResult:
    checked: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)


def parse_scenario(path: Path, text: str | None = None) -> Scenario:
    """Read and check a scenario file's outer shape; actions are checked as
    they run (a time going backwards can only be seen then)."""
    data = yamlio.load_with_long_list(path, "actions", text)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping with clock, account, actions")

    def fail(keys: list[str | int], problem: str) -> InputError:
        return InputError(f"{yamlio.where(path, keys)}: {problem}")

    for key in data:
        if key not in TOP_KEYS:
            raise fail(
                [key], f"unknown key (expected one of {', '.join(sorted(TOP_KEYS))})"
            )
    if "clock" not in data:
        raise fail(["clock"], "missing key")
    if "account" not in data:
        raise fail(["account"], "missing key: every scenario needs an account")
    clock = timeutil.parse_time(data["clock"], yamlio.Where(path, ["clock"]))

    raw = data["account"]
    if not isinstance(raw, dict):
        raise fail(["account"], "expected a mapping")
    for key in raw:
        if key not in ACCOUNT_REQUIRED and key not in ACCOUNT_OPTIONAL:
            raise fail(["account", key], "unknown key")
    for key in ACCOUNT_REQUIRED:
        if key not in raw:
            raise fail(["account", key], "missing key")

    def amount(key: str, default: int = 0) -> int:
        if key not in raw:
            return default
        return money.parse_amount(raw[key], yamlio.Where(path, ["account", key]))

    def flag(key: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise fail(["account", key], f"expected true or false, got {value!r}")
        return value

    def count(key: str) -> int:
        value = raw.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise fail(["account", key], f"expected a whole number >= 0, got {value!r}")
        return value

    recharge = amount("recharge")
    account = Account(
        first_p4p_date=timeutil.parse_date(
            raw["first_p4p_date"], yamlio.Where(path, ["account", "first_p4p_date"])
        ),
        payment_date=timeutil.parse_date(
            raw["payment_date"], yamlio.Where(path, ["account", "payment_date"])
        ),
        recharge=recharge,
        cash=amount("cash", recharge),
        red_packet=amount("red_packet"),
        coupons=amount("coupons"),
        other_promotion=flag("other_promotion"),
        ran_p4p_before=flag("ran_p4p_before"),
        info_score=_score(
            raw.get("info_score", 0), yamlio.Where(path, ["account", "info_score"])
        ),
        products=count("products"),
        keywords=count("keywords"),
    )

    actions = data.get("actions") or []
    if not isinstance(actions, list):
        raise fail(["actions"], "expected a list of actions")
    expect = data.get("expect")
    if expect is not None and not isinstance(expect, dict):
        raise fail(["expect"], "expected a mapping of report paths to values")
    for key in expect or {}:
        if not isinstance(key, str):
            raise fail(["expect"], f"path {key!r} is not text")
        parse_path(key, lambda problem, key=key: fail(["expect", key], problem))

    rules_path = None
    if "rules" in data:
        if not isinstance(data["rules"], str):
            raise fail(["rules"], "expected the path of a rule file")
        rules_path = (path.parent / data["rules"]).resolve()

    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            raise fail([key], "expected text")
    return Scenario(
        path=path,
        name=data.get("name") or path.stem,
        description=data.get("description") or "",
        clock=clock,
        account=account,
        actions=actions,
        expect=expect,
        rules_path=rules_path,
    )


def _score(value: object, where: str) -> int:
    """An information display score (0.0 to 5.0 by default) in hundredths."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InputError(f"{where}: expected a score like 3.5, got {value!r}")
    hundredths = Decimal(value) * 100
    if hundredths != hundredths.to_integral_value():
        raise InputError(f"{where}: score {value} has more than two decimals")
    return int(hundredths)


class Runner:
    """Runs a scenario's actions on an engine, one at a time."""

    def __init__(self, scenario: Scenario, rules: Rules) -> None:
        self.scenario = scenario
        self.rules = rules
        info_score = scenario.account.info_score
        if not 0 <= info_score <= rules.info_score_max:
            where = yamlio.where(scenario.path, ["account", "info_score"])
            raise InputError(
                f"{where}: score {info_score / 100} is outside "
                f"0.0..{rules.info_score_max / 100}"
            )
        self.engine = Engine(rules, scenario.account, scenario.clock)
        self._amounts: dict[Any, int] = {}
        self._durations: dict[str, int] = {}
        self._bank_answers: list[Any] | None = None

    def run(self) -> Engine:
        engine = self.engine
        handlers = {
            "open_marketing_center": self._open,
            "self_test": self._self_test,
            "set_info_score": self._info_score,
            "add_products": self._products,
            "add_keywords": self._keywords,
            "activate_waiver": self._activate,
            "spend": self._spend,
            "advance": self._advance,
            "at": self._at,
            "top_up": self._top_up,
        }
        for index, item in enumerate(self.scenario.actions):
            if isinstance(item, str):
                name, value = item, None
                if name not in _BARE_ACTIONS and name in handlers:
                    raise self._fail(
                        index, name, "needs a value (write `- " + name + ": ...`)"
                    )
            elif isinstance(item, dict) and len(item) == 1:
                ((name, value),) = item.items()
            else:
                raise self._fail(
                    index, None, "expected `- name: value` or a bare action"
                )
            handler = handlers.get(name)
            if handler is None:
                raise self._fail(
                    index,
                    None,
                    f"unknown action {name!r} (expected one of {', '.join(ACTIONS)})",
                )
            engine.current_action = index
            try:
                handler(value)
            except InputError as error:
                raise self._fail(index, name, str(error)) from None
        engine.current_action = None
        return engine

    def _fail(self, index: int, name: str | None, problem: str) -> InputError:
        where = yamlio.where(self.scenario.path, ["actions", index])
        label = f" ({name})" if name else ""
        return InputError(f"{where}{label}: {problem}")

    # Each handler gets the action's value and raises InputError on bad input.

    def _open(self, value: Any) -> None:
        _no_value(value)
        self.engine.open_marketing_center()

    def _activate(self, value: Any) -> None:
        _no_value(value)
        self.engine.activate()

    def _self_test(self, value: Any) -> None:
        if not isinstance(value, dict) or len(value) != 1:
            raise InputError("expected {score: N} or {answers: [...]}")
        if "score" in value:
            score = value["score"]
            if (
                isinstance(score, bool)
                or not isinstance(score, int)
                or not 0 <= score <= 100
            ):
                raise InputError(f"score {score!r} is not a whole number from 0 to 100")
            self.engine.take_self_test(score)
        elif "answers" in value:
            answers = value["answers"]
            if not isinstance(answers, list):
                raise InputError("answers: expected a list, in question bank order")
            score, details = self._score_answers(answers)
            self.engine.take_self_test(score, details)
        else:
            raise InputError(
                f"unknown key {next(iter(value))!r} (expected score or answers)"
            )

    def _score_answers(self, answers: list[Any]) -> tuple[int, dict[str, Any]]:
        from app.core import content  # the bank is only needed here

        bank = content.load_bank()
        if len(answers) > len(bank.questions):
            raise InputError(
                f"answers: {len(answers)} given but the bank has {len(bank.questions)}"
            )
        ids = [q.id for q in bank.questions[: len(answers)]]
        chosen = {qid: answer for qid, answer in zip(ids, answers, strict=True)}
        score = bank.score_bank_order(answers)
        return score, {"questions": ids, "answers": chosen}

    def _info_score(self, value: Any) -> None:
        self.engine.set_info_score(_score(value, "value"))

    def _products(self, value: Any) -> None:
        self.engine.add_products(_whole(value))

    def _keywords(self, value: Any) -> None:
        self.engine.add_keywords(_whole(value))

    def _spend(self, value: Any) -> None:
        # Only scalars are cached: a list or mapping is unhashable (and wrong).
        key = (type(value), value) if isinstance(value, int | str | Decimal) else None
        fen = self._amounts.get(key) if key is not None else None
        if fen is None:
            fen = money.parse_amount(value, "amount")
            if key is not None:
                self._amounts[key] = fen
        self.engine.spend(fen)

    def _advance(self, value: Any) -> None:
        seconds = self._durations.get(value) if isinstance(value, str) else None
        if seconds is None:
            seconds = timeutil.parse_duration(value, "duration")
            self._durations[value] = seconds
        self.engine.advance_to(self.engine.clock + seconds)

    def _at(self, value: Any) -> None:
        self.engine.advance_to(timeutil.parse_time(value, "time"))

    def _top_up(self, value: Any) -> None:
        if not isinstance(value, dict):
            raise InputError("expected {cash: ..., red_packet: ..., coupons: ...}")
        for key in value:
            if key not in ("cash", "red_packet", "coupons"):
                raise InputError(
                    f"unknown key {key!r} (expected cash, red_packet, coupons)"
                )
        self.engine.top_up(
            *(
                money.parse_amount(value.get(key, 0), key)
                for key in ("cash", "red_packet", "coupons")
            )
        )


def _no_value(value: Any) -> None:
    if value is not None:
        raise InputError(f"takes no value, got {value!r}")


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"expected a whole number, got {value!r}")
    return value


# ------------------------------------------------------------------ expect


def parse_path(text: str, fail: Any) -> list[str | int]:
    """`ledger[0].waived` -> ['ledger', 0, 'waived']; `fail(problem)` builds
    the error for a malformed path."""
    keys: list[str | int] = []
    for part in text.split("."):
        match = _PATH_SEGMENT.fullmatch(part)
        if match is None:
            raise fail(f"malformed report path {text!r}")
        keys.append(match.group(1))
        keys.extend(int(index) for index in _INDEX.findall(match.group(2)))
    return keys


_MISSING = object()


def lookup(report: Any, keys: list[str | int]) -> Any:
    node = report
    for key in keys:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return _MISSING
            node = node[key]
        else:
            if not isinstance(node, dict) or key not in node:
                return _MISSING
            node = node[key]
    return node


def to_json_value(value: Any) -> Any:
    """YAML values as JSON would hold them (Decimal -> number). What JSON
    cannot hold (a number beyond a float, `!!binary`, `!!set`) becomes its
    text, so the report stays JSON; it can never equal a report value."""
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() < 30:
            if value == value.to_integral_value():
                return int(value)
            if abs(float(value)) > 0 or value == 0:
                return float(value)
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def same(expected: Any, actual: Any) -> bool:
    """Strict JSON equality: "100.00" is not 100, true is not 1, 3 == 3.0."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            same(e, a) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            same(v, actual[k]) for k, v in expected.items()
        )
    return type(expected) is type(actual) and expected == actual


def check_expect(expect: dict[str, Any], report: dict[str, Any]) -> ExpectResult:
    result = ExpectResult()
    for key, raw in expect.items():
        expected = to_json_value(raw)
        actual = lookup(report, parse_path(key, InputError))
        result.checked += 1
        if actual is _MISSING:
            result.failed.append(
                {"key": key, "expected": expected, "actual": None, "missing": True}
            )
        elif not same(expected, actual):
            result.failed.append({"key": key, "expected": expected, "actual": actual})
    return result


@dataclass
class Outcome:
    scenario: Scenario
    rules: Rules
    engine: Engine
    report: dict[str, Any]
    expect: ExpectResult | None

    @property
    def exit_code(self) -> int:
        return 1 if self.expect is not None and self.expect.failed else 0


def run_file(path: Path, rules_path: Path | None = None, lang: str = "en") -> Outcome:
    """Parse, run and check one scenario; InputError for an unusable file.

    `rules_path` (the command line's `--rules`) wins over the file's own
    `rules:` key; without either the default rule file applies.
    """
    scenario = parse_scenario(path)
    rules = load_rules(rules_path or scenario.rules_path)
    engine = Runner(scenario, rules).run()
    report = engine.report(lang)
    result = None
    if scenario.expect is not None:
        result = check_expect(scenario.expect, report)
        report["expect"] = {"checked": result.checked, "failed": result.failed}
    return Outcome(scenario, rules, engine, report, result)

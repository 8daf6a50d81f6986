"""The rule trace: each rule deciding the state, with value, requirement,
state word and symbol, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import i18n
from app.core.session import Session
from app.core.trace import SYMBOL, trace
from tests.tui.conftest import make_session, passed_session, ready_session

SCENARIOS = Path(__file__).resolve().parent.parent / "content" / "scenarios"
REQUIRED_RULES = {"R1", "R2", "R5", "R7", "R8", "R9", "R11", "R12", "R13",
                  "R15", "R16", "R17", "R18", "R19"}  # fmt: skip


def rows_by_key(engine, lang="en"):
    return {row.key: row for row in trace(engine, lang)}


def test_every_rule_the_issue_names_is_listed():
    rules = {row.rule for row in trace(make_session().engine, "en")}
    assert rules >= REQUIRED_RULES


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rows_have_words_and_symbols_in_both_languages(lang):
    for row in trace(ready_session().engine, lang):
        assert row.label and row.value and row.required
        assert row.symbol == SYMBOL[row.state]
        assert row.word(lang) == i18n.t(f"trace.state.{row.state}", lang)
        assert not row.label.startswith("trace.")  # a registered string


def test_new_account_self_test_not_met_and_activation_locked_by_r5():
    rows = rows_by_key(make_session().engine)
    assert rows["eligibility"].state == "met"
    assert rows["pass_mark"].state == "not_met"
    assert rows["pass_mark"].required == "≥ 80"
    assert rows["task.products"].value == "0"
    assert rows["task.products"].state == "not_met"
    assert rows["activation"].state == "locked"
    assert "R5" in rows["activation"].value
    assert rows["deadline"].state == "running"
    assert rows["cap"].state == "na"


def test_tasks_follow_live_values():
    session = passed_session()
    engine = session.engine
    engine.add_products(30)
    assert rows_by_key(engine)["task.products"].state == "met"
    engine.add_products(-1)
    rows = rows_by_key(engine)
    assert rows["task.products"].state == "not_met"
    assert rows["task.products"].value == "29"
    assert rows["activation"].state == "locked"
    assert "R12" in rows["activation"].value


def test_waiver_running_cap_and_coupons():
    session = ready_session()
    engine = session.engine
    engine.activate()
    engine.spend(5000)
    rows = rows_by_key(engine)
    assert rows["activation"].state == "met"
    assert rows["live"].state == "met"
    assert rows["cap"].state == "running"
    assert "50.00" in rows["cap"].value and "100.00" in rows["cap"].value
    assert rows["coupons"].state == "locked"
    assert rows["days"].state == "running"
    engine.spend(6000)
    assert rows_by_key(engine)["cap"].state == "warning"  # above the cap


def test_ineligible_returning_advertiser():
    engine = make_session(ran_p4p_before=True).engine
    rows = rows_by_key(engine)
    assert rows["eligibility"].state == "not_met"
    assert "ran P4P before" in rows["eligibility"].value
    assert "R1" in rows["activation"].value


def test_below_lowest_tier_and_other_promotion():
    engine = make_session(recharge=9000, other_promotion=True).engine
    rows = rows_by_key(engine)
    assert rows["tier"].state == "not_met"
    assert rows["other_promotion"].state == "not_met"
    assert rows["days"].state == "na"


def test_deadline_warning_then_passed():
    session = make_session()
    engine = session.engine
    engine.advance_to(engine.deadline - 86400)
    assert rows_by_key(engine)["deadline"].state == "warning"
    engine.advance_to(engine.deadline + 1)
    rows = rows_by_key(engine)
    assert rows["deadline"].state == "not_met"
    assert "R13" in rows["activation"].value


def test_finished_scenario():
    session = Session.from_scenario(
        SCENARIOS / "finished-after-last-waiver-day.yaml", "t"
    )
    rows = rows_by_key(session.engine, "zh")
    assert rows["days"].state == "met"
    assert rows["cap"].state == "na"

"""Session.reset and Session.step_back: what going back means."""

from __future__ import annotations

import pytest

from app.core import timeutil
from app.core.engine import Engine
from app.core.errors import InputError
from app.core.session import Session, default_account, open_store

START = timeutil.parse_time("2026-07-01 09:00", "tests")
HOUR = 3600


def new_session() -> Session:
    account = default_account(timeutil.to_bj(START).date())
    return Session.in_memory("trainee", account, START)


def to_ready(session: Session) -> None:
    engine = session.engine
    rules = engine.rules
    engine.open_marketing_center()
    engine.take_self_test(60)
    engine.advance_by(HOUR)
    engine.take_self_test(90)
    engine.advance_by(HOUR)
    engine.set_info_score(rules.info_score_required)
    engine.add_products(rules.products_required)
    engine.add_keywords(rules.keywords_required - 1)
    engine.advance_by(HOUR)
    engine.add_keywords(1)


def test_reset_starts_again_at_the_current_clock():
    session = new_session()
    to_ready(session)
    session.workspace["picked"] = ["p1"]
    session.engine.advance_by(5 * HOUR)
    clock = session.engine.clock

    session.reset()

    engine = session.engine
    assert engine.events == []
    assert engine.popup_shown_at is None
    assert engine.stage == "self_test"
    assert engine.clock == clock == engine.start_clock
    assert engine.products == 0 and engine.keywords == 0
    assert session.workspace == {}


def test_reset_keeps_a_passed_deadline_passed():
    session = new_session()
    session.engine.advance_by(40 * 24 * HOUR)
    session.reset()
    assert session.engine.stage == "lapsed"


def test_step_back_from_ready_unmeets_the_last_task():
    session = new_session()
    to_ready(session)
    session.engine.advance_by(HOUR)
    clock = session.engine.clock
    assert session.engine.stage == "ready"

    assert session.step_back() == "ready"

    engine = session.engine
    assert engine.stage == "tasks"
    assert engine.keywords == engine.rules.keywords_required - 1
    assert engine.products == engine.rules.products_required
    assert engine.clock == clock


def test_step_back_from_tasks_drops_the_pass_keeps_failed_attempts():
    session = new_session()
    to_ready(session)
    session.step_back()
    assert session.step_back() == "tasks"

    engine = session.engine
    assert engine.stage == "self_test"
    assert [a.score for a in engine.attempts] == [60]
    # Task changes came after the pass: they are undone with it.
    assert engine.products == 0
    assert engine.popup_shown_at is not None


def test_step_back_from_the_waiver_undoes_activation_and_its_spend():
    session = new_session()
    to_ready(session)
    engine = session.engine
    cash = engine.cash
    assert engine.activate() is None
    engine.spend(5000)
    engine.advance_by(30 * HOUR)
    clock = engine.clock
    assert engine.stage == "waiver"

    assert session.step_back() == "waiver"

    engine = session.engine
    assert engine.stage == "ready"
    assert engine.activated_at is None
    assert engine.ledger == [] and engine.cash == cash
    assert engine.clock == clock


def test_step_back_after_the_deadline_leaves_the_plan_lapsed():
    session = new_session()
    to_ready(session)
    session.engine.activate()
    session.engine.advance_by(40 * 24 * HOUR)
    session.step_back()
    assert session.engine.stage == "lapsed"


def test_step_back_uses_the_last_time_a_step_was_reached():
    session = new_session()
    to_ready(session)
    engine = session.engine
    engine.add_products(-1)  # R11: un-met again
    engine.advance_by(HOUR)
    engine.add_products(1)  # met again: this is the step undone
    assert engine.stage == "ready"
    session.step_back()
    assert session.engine.stage == "tasks"
    assert session.engine.products == session.engine.rules.products_required - 1


def test_step_back_with_nothing_done_is_refused():
    session = new_session()
    session.engine.take_self_test(40)
    with pytest.raises(InputError, match="no step is completed"):
        session.step_back()
    assert len(session.engine.attempts) == 1


def test_going_back_replays_and_saves(tmp_path):
    store = open_store(tmp_path)
    session = Session.open(store, "amy", clock=START)
    to_ready(session)
    session.step_back()
    assert session.save() is None
    events = session.engine.events
    session.close()

    again = Session.open(store, "amy")
    try:
        assert again.engine.stage == "tasks"
        assert again.engine.events == events
        rebuilt = Engine.replay(
            again.rules, again.engine.account, START, events, again.engine.clock
        )
        assert rebuilt.keywords == again.engine.keywords
    finally:
        again.close()

"""Step 1, the self-test: answering by keys and mouse, lesson and answer
panel (R4), submitting, the result and the lock of step 2 (R5)."""

from __future__ import annotations

import pytest

from app.core import content, status, timeutil
from app.core.rules import CONTENT_DIR, load_rules
from app.core.session import Session, default_account
from app.tui.screens.self_test import ConfirmSubmit, SelfTestScreen
from tests.tui.conftest import FROZEN, SIZE, SMALL, make_app, make_session
from tests.tui.selftest_helpers import (
    SEED,
    answer_all,
    answer_directly,
    keys_for,
    self_test_app,
)

# ------------------------------------------------------------------ Pilot


async def test_popup_s_opens_the_self_test_and_a_pass_unlocks_step_2():
    session = make_session()
    session.workspace["self_test"] = {"seed": SEED}
    app = make_app("en", session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SelfTestScreen)
        assert screen.seed == SEED
        await answer_all(pilot)
        await pilot.press("s")  # all answered: no confirmation
        await pilot.pause()
        assert screen.result is not None and screen.result["score"] == 100
        engine = app.session.engine
        assert engine.self_test_passed
        details = engine.attempts[-1].details
        assert details["seed"] == SEED
        assert details["questions"] == list(screen.attempt.question_ids)
        assert "self_test" not in app.session.workspace
        assert status.tasks_lock(engine, "en") is None
        assert "PASSED" in str(screen.query_one("#st-verdict").render())
        await pilot.press("2")
        await pilot.pause()
        assert type(app.screen).__name__ == "TasksScreen"


async def test_eight_right_is_exactly_the_pass_mark():
    app = self_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await answer_all(pilot, wrong=2)
        await pilot.press("s")
        await pilot.pause()
        assert app.session.engine.attempts[-1].score == 80
        assert app.session.engine.self_test_passed


async def test_below_the_mark_keeps_step_2_locked_and_offers_a_retake():
    app = self_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = app.screen
        await answer_all(pilot, wrong=3)
        await pilot.press("s")
        await pilot.pause()
        engine = app.session.engine
        assert engine.attempts[-1].score == 70
        assert not engine.self_test_passed
        assert engine.stage == "self_test"
        note = str(screen.query_one("#st-result-note").render())
        assert "R5" in note and "locked" in note
        assert "NOT PASSED" in str(screen.query_one("#st-verdict").render())
        assert screen.query("#st-retake") and not screen.query("#st-go-tasks")
        first = screen.attempt.question_ids
        await pilot.click("#st-retake")
        await pilot.pause()
        assert screen.result is None
        assert screen.seed != SEED
        assert app.session.workspace["self_test"]["seed"] == screen.seed
        assert screen.attempt.question_ids != first or screen.seed != SEED


async def test_79_points_is_not_a_pass_and_tasks_say_r5():
    session = make_session()
    session.engine.open_marketing_center()
    session.engine.take_self_test(79)
    app = make_app("en", session, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert not session.engine.self_test_passed
        lock = str(app.screen.query_one("#tk-lock-text").render())
        assert "R5" in lock and "79" in lock and "80" in lock


async def test_unanswered_questions_ask_before_submitting():
    app = self_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = app.screen
        await pilot.press(*keys_for(screen, right=True))
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        assert app.screen.missing == list(range(2, 11))
        await pilot.press("escape")
        assert app.screen is screen and screen.result is None
        assert not app.session.engine.attempts
        await pilot.press("s", "y")
        await pilot.pause()
        assert screen.result is not None
        assert app.session.engine.attempts[-1].score == 10


async def test_moving_back_and_forth_keeps_answers_and_mouse_chooses():
    app = self_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = app.screen
        first = screen.item.question.id
        await pilot.click("#opt-1")
        assert screen.answers[first] == [screen.item.options[1].key]
        await pilot.press("right", "right", "p")
        assert screen.index == 1
        await pilot.press("left")
        assert screen.index == 0
        await pilot.press("down", "down", "space")
        assert screen.cursor == 2
        options = screen.item.options
        if screen.item.question.kind == "multiple":  # toggles: both chosen
            assert set(screen.answers[first]) == {options[1].key, options[2].key}
        else:
            assert screen.answers[first] == [options[2].key]
        await pilot.click("#st-next")
        assert screen.index == 1
        # the attempt in progress is kept in the workspace (resumable)
        saved = app.session.workspace["self_test"]
        assert saved["index"] == 1 and first in saved["answers"]


async def test_multiple_choice_toggles_and_true_false_takes_t_and_f():
    app = self_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = app.screen
        kinds = [item.question.kind for item in screen.attempt.items]
        multiple = kinds.index("multiple")
        screen.index = multiple
        screen.refresh_view()
        qid = screen.item.question.id
        await pilot.press("a", "c", "2")
        assert sorted(screen.answers[qid]) == sorted(
            screen.item.options[n].key for n in (0, 1, 2)
        )
        await pilot.press("a", "enter")  # enter toggles the cursor row (a)
        assert screen.item.options[0].key in screen.answers[qid]
        screen.index = kinds.index("true_false")
        screen.refresh_view()
        await pilot.press("f")
        assert screen.answers[screen.item.question.id] == ["f"]
        await pilot.press("t")
        assert screen.answers[screen.item.question.id] == ["t"]


async def test_lesson_and_answer_panel_at_any_time():
    app = self_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = app.screen
        panel = screen.query_one("#st-lesson")
        assert not panel.display
        await pilot.press("l")
        assert panel.display
        await pilot.press("v")
        await pilot.pause()
        question = screen.item.question
        assert question.id in screen.revealed
        rows = [str(screen.query_one(f"#opt-{n}").render()) for n in range(2)]
        assert any("correct" in row for row in rows) or question.kind == "multiple"
        await pilot.press("v", "l")
        assert not panel.display and question.id not in screen.revealed


def test_every_lesson_link_of_the_bank_renders_without_placeholders():
    from app.core.rules import load_rules
    from app.tui.widgets.lesson_panel import section_markdown

    rules = load_rules(None)
    links = {q.lesson for q in content.load_bank().questions}
    for lang in ("en", "zh"):
        for link in links:
            text = section_markdown(link, lang, rules)
            assert "{{" not in text and "cannot be shown" not in text, link


# -------------------------------------------------------------- snapshots


async def _open(pilot) -> None:
    await pilot.press("1")
    await pilot.pause()


def _press(*keys: str):
    async def run(pilot) -> None:
        await _open(pilot)
        await pilot.press(*keys)
        await pilot.pause(0.2)

    return run


def _result(wrong: int):
    async def run(pilot) -> None:
        await _open(pilot)
        screen = pilot.app.screen
        answer_directly(screen, wrong=wrong)
        screen.submit()
        await pilot.pause()

    return run


SNAPSHOTS = {
    "question": _press("b"),
    "lesson_panel": _press("b", "l"),
    "answer_shown": _press("b", "v"),
    "confirm": _press("a", "s"),
    "result_passed": _result(0),
    "result_failed": _result(3),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", list(SNAPSHOTS))
def test_self_test_snapshot(snap_compare, view, lang):
    assert snap_compare(
        self_test_app(lang), run_before=SNAPSHOTS[view], terminal_size=SIZE
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["lesson_panel", "result_failed"])
def test_self_test_fits_80x24(snap_compare, view, lang):
    assert snap_compare(
        self_test_app(lang), run_before=SNAPSHOTS[view], terminal_size=SMALL
    )


async def test_variant_rules_leave_out_questions_and_say_so():
    """q44-q47 do not hold under a midnight cutoff: never drawn, and said."""
    variant = load_rules(CONTENT_DIR / "rules" / "cutoff-la-midnight.yaml")
    account = default_account(timeutil.to_bj(FROZEN).date())
    session = Session.in_memory("trainee", account, FROZEN, rules=variant)
    session.workspace["self_test"] = {"seed": SEED}
    app = make_app("en", session, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("self_test")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SelfTestScreen)
        assert not set(screen.attempt.question_ids) & {"q44", "q45", "q46", "q47"}
        hint = str(screen.query_one("#st-hint").render())
        assert "4 worked-number question(s) left out" in hint
        assert "cutoff-la-midnight.yaml" in hint

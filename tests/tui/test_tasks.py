"""Step 2, the tasks: the lock while the self-test is not passed (R5), the
three live checks (R7-R9, R11), the "?" of each (R10) and the tools that
work on them: back office, product picker, keyword tool."""

from __future__ import annotations

import pytest

from app.core import workspace as ws
from app.tui.screens.back_office import BackOfficeScreen
from app.tui.screens.keyword_tool import KeywordToolScreen
from app.tui.screens.product_picker import ProductPickerScreen
from app.tui.screens.tasks import TaskHelpModal, TasksScreen
from tests.tui.conftest import SIZE, SMALL, make_app, make_session, passed_session


def partly_met():
    """Self-test passed; score 3.3 (met), 27 products, 12 keywords."""
    session = passed_session()
    catalog = ws.load_catalog()
    for product in catalog.products[:27]:
        ws.set_promoted(session, product.id, True)
    words = ws.keyword_suggestions(catalog, session.workspace)[:12]
    ws.add_keywords(session, [ws.keyword_id(k) for k in words])
    for suggestion in catalog.info_suggestions[:8]:
        ws.complete_suggestion(session, suggestion)
    return session


def tasks_app(lang="en", session=None):
    return make_app(lang, session or passed_session(), popup=False)


# ------------------------------------------------------------------ Pilot


async def test_whole_step_2_by_keys_from_the_checklist():
    app = tasks_app()
    engine = app.session.engine
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        assert engine.stage == "tasks"

        await pilot.press("d")
        assert isinstance(app.screen, ProductPickerScreen)
        for _ in range(29):
            await pilot.press("space", "down")
        assert engine.products == 29
        assert not engine.task_status()["products"][2]
        assert engine.stage == "tasks"
        await pilot.press("space")
        assert engine.products == 30 and engine.task_status()["products"][2]
        await pilot.press("escape")

        await pilot.press("k")
        assert isinstance(app.screen, KeywordToolScreen)
        await pilot.press("asterisk", "a")
        await pilot.pause()
        assert engine.keywords >= 50
        assert engine.task_status()["keywords"][2]
        await pilot.press("escape")

        await pilot.press("o")
        assert isinstance(app.screen, BackOfficeScreen)
        while engine.info_score < engine.rules.info_score_required:
            await pilot.press("space", "down")
        await pilot.press("escape")
        await pilot.pause()

        assert app.screen is screen
        assert engine.tasks_met and engine.stage == "ready"
        for task in ("info_score", "products", "keywords"):
            assert "✓ Met" in str(screen.query_one(f"#state-{task}").render())
        assert screen.query_one("#tk-go-waiver").display
    # the lists were saved with the counts they stand for
    assert len(app.session.workspace["promoted_products"]) == 30
    assert len(app.session.workspace["promoted_keywords"]) == engine.keywords


async def test_removing_a_product_un_meets_the_task_live():
    session = partly_met()
    for product in ws.load_catalog().products[27:30]:
        ws.set_promoted(session, product.id, True)
    app = tasks_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert "✓" in str(screen.query_one("#state-products").render())
        await pilot.press("d")
        await pilot.press("enter")  # first row is promoted: take it out
        assert session.engine.products == 29
        await pilot.press("escape")
        await pilot.pause()
        assert "✗ Not met" in str(screen.query_one("#state-products").render())
        assert "29 / 30" in str(screen.query_one("#value-products").render())
        assert session.engine.stage == "tasks"


async def test_locked_step_clicked_says_why_and_offers_the_self_test():
    app = tasks_app(session=make_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # (no popup: nothing happens)
        app.open_screen("tasks")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#tk-lock").display
        await pilot.click("#work-products")
        await pilot.pause()
        assert app.screen is screen  # no picker while locked
        messages = [n.message for n in app._notifications]
        assert any("R5" in m for m in messages)
        await pilot.click("#tk-take-test")
        await pilot.pause()
        assert type(app.screen).__name__ == "SelfTestScreen"


async def test_question_mark_by_tab_and_enter_and_has_a_tooltip():
    app = tasks_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        screen = app.screen
        button = screen.query_one("#explain-info_score")
        assert button.tooltip
        while app.focused is not button:
            await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskHelpModal)
        assert app.screen.task_name == "info_score"
        await pilot.press("escape")
        assert app.screen is screen


async def test_back_office_undo_and_cap():
    session = passed_session()
    app = tasks_app(session=session)
    engine = session.engine
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "o")
        await pilot.press("space")
        gain = ws.load_catalog().info_suggestions[0].gain
        assert engine.info_score == gain
        await pilot.press("enter")  # undo
        assert engine.info_score == 0
        engine.set_info_score(engine.rules.info_score_max - 10)
        await pilot.press("space")
        assert engine.info_score == engine.rules.info_score_max
        await pilot.press("space")
        assert engine.info_score == engine.rules.info_score_max - 10


async def test_keyword_tool_removes_selected():
    session = partly_met()
    app = tasks_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "k")
        app.screen.query_one("#kw-promoted").focus()
        await pilot.press("space", "down", "space", "x")
        await pilot.pause()
        assert session.engine.keywords == 10
        assert len(session.workspace["promoted_keywords"]) == 10


async def test_keyword_tool_marks_selection_and_keeps_counts_after_adding():
    session = partly_met()
    app = tasks_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "k")
        screen = app.screen
        suggested = screen.query_one("#kw-suggested")
        first = suggested.render_line(0).text
        assert "✓" not in first  # not selected: no mark, not only a colour
        await pilot.press("space")
        await pilot.pause()
        assert "✓" in suggested.render_line(0).text
        assert "(1)" in str(screen.query_one("#kw-add").label)
        await pilot.press("asterisk", "a")
        await pilot.pause()
        assert suggested.option_count == 0
        assert "(0)" in str(screen.query_one("#kw-add").label)
        assert screen.query_one("#kw-empty").display  # says why it is empty
        await pilot.press("tab")  # Tab goes to the other list, not a button
        assert app.focused is screen.query_one("#kw-promoted")


async def test_product_search_filters_the_catalog():
    app = tasks_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "d", "slash")
        await pilot.press(*"yoga")
        await pilot.pause()
        table = app.screen.query_one("#pp-table")
        assert 0 < table.row_count < 5
        await pilot.press("enter", "space")
        assert app.session.engine.products == 1


async def test_after_activation_changes_no_longer_matter():
    from tests.tui.conftest import ready_session

    session = ready_session()
    ws.reconcile(session, ws.load_catalog())
    assert session.engine.activate() is None
    app = tasks_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "d", "enter")
        assert session.engine.products == 29
        assert session.engine.stage == "waiver"
        await pilot.press("escape")
        await pilot.pause()
        assert "R11" in str(app.screen.query_one("#tk-note").render())


# -------------------------------------------------------------- snapshots


def _tasks(*keys: str):
    async def run(pilot) -> None:
        pilot.app.open_screen("tasks")
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.2)

    return run


SNAPSHOTS = {
    "locked": (make_session, _tasks()),
    "partly_met": (partly_met, _tasks()),
    "back_office": (partly_met, _tasks("o", "down")),
    "product_picker": (partly_met, _tasks("d", "down", "down")),
    "keyword_tool": (partly_met, _tasks("k", "space", "down", "space")),
    "question_mark": (partly_met, _tasks("tab", "tab", "tab", "enter")),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", list(SNAPSHOTS))
def test_tasks_snapshot(snap_compare, view, lang):
    build, run = SNAPSHOTS[view]
    assert snap_compare(tasks_app(lang, build()), run_before=run, terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["locked", "partly_met"])
def test_tasks_fit_80x24(snap_compare, view, lang):
    build, run = SNAPSHOTS[view]
    assert snap_compare(tasks_app(lang, build()), run_before=run, terminal_size=SMALL)


async def test_command_palette_carries_the_task_actions():
    app = tasks_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"optimize")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BackOfficeScreen)


@pytest.mark.parametrize(
    "screen_class", [BackOfficeScreen, ProductPickerScreen, KeywordToolScreen]
)
def test_tool_actions_are_in_the_command_palette(screen_class):
    from app.core import i18n

    pairs = screen_class.palette_commands(None)  # type: ignore[arg-type]
    footer = {b.action for b in screen_class.BINDINGS if b.action != "app.pop_screen"}
    assert {action for _, action in pairs} == footer
    for key, action in pairs:
        assert hasattr(screen_class, f"action_{action}")
        assert i18n.t(key, "en") != i18n.t(key, "zh") != key

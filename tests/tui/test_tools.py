"""Demo and QA tools: scenario picker, rule trace panel, event log, demo
mode and its restart. Snapshots in both languages at 100x30."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.session import Session, open_store
from app.tui.screens.scenarios import load_entries, scenario_files
from app.tui.widgets.rule_trace import RuleTracePanel
from tests.tui.conftest import SIZE, make_app, make_session, ready_session

SCENARIOS = Path(__file__).resolve().parents[2] / "content" / "scenarios"
CONTRACT = SCENARIOS / "contract-example-30k-tier.yaml"


def contract_session() -> Session:
    return Session.from_scenario(CONTRACT, "trainee")


def screen_name(app) -> str:
    return type(app.screen).__name__


def open_on_start(name: str):
    async def run_before(pilot) -> None:
        pilot.app.open_screen(name)
        await pilot.pause()

    return run_before


# ------------------------------------------------------------------ snapshots


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_scenario_picker_snapshot(snap_compare, lang):
    app = make_app(lang, make_session(), popup=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_on_start("scenarios"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_load_scenario_modal_snapshot(snap_compare, lang):
    app = make_app(lang, make_session(), popup=False)
    assert snap_compare(
        app,
        press=["down", "enter"],
        terminal_size=SIZE,
        run_before=open_on_start("scenarios"),
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rule_trace_panel_snapshot(snap_compare, lang):
    app = make_app(lang, ready_session(), popup=False)
    assert snap_compare(app, press=["ctrl+t"], terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_event_log_snapshot(snap_compare, lang):
    app = make_app(lang, contract_session(), popup=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_on_start("events"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_restart_snapshot(snap_compare, lang):
    app = make_app(lang, contract_session(), popup=False, demo=True)

    async def run_before(pilot) -> None:
        engine = pilot.app.session.engine
        engine.advance_by(3 * 86400)
        engine.top_up(cash=100)
        pilot.app.changed()
        await pilot.pause()

    assert snap_compare(
        app, press=["ctrl+r"], terminal_size=SIZE, run_before=run_before
    )


# ------------------------------------------------------------------- picker


def test_picker_lists_every_scenario_in_both_languages():
    entries = load_entries()
    files = scenario_files()
    assert len(entries) == len(files) >= 40
    assert all(not path.name.startswith("_") for path in files)
    for entry in entries:
        for lang in ("en", "zh"):
            assert entry.name(lang) and entry.description(lang)
        # Chinese comes from _index.yaml, not a copy of the English.
        assert entry.name("zh") != entry.name("en"), entry.stem


async def test_picker_loads_a_scenario_in_demo_mode():
    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("scenarios")
        await pilot.pause()
        picker = app.screen
        index = next(i for i, e in enumerate(picker.entries) if e.stem == CONTRACT.stem)
        picker.query_one("#sc-list").highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "LoadScenarioModal"
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.demo is True
        assert app.session.handle is None
        assert app.session.engine.report() == contract_session().engine.report()
        assert screen_name(app) == "MarketingCenterScreen"


async def test_picker_creates_a_new_profile_and_never_overwrites(tmp_path):
    store = open_store(tmp_path)
    app = make_app("en", make_session(), popup=False, store=store)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("scenarios")
        await pilot.pause()
        await pilot.press("enter")  # the first scenario
        await pilot.pause()
        modal = app.screen
        stem = modal.entry.stem
        await pilot.click("#sc-new")
        await pilot.pause()
        assert app.demo is False
        assert app.session.name == stem
        assert store.exists(stem)
        saved = store.path(stem).read_bytes()

        app.open_screen("scenarios")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#sc-new")
        await pilot.pause()
        assert screen_name(app) == "LoadScenarioModal"  # refused, stays open
        assert "already exists" in str(app.screen.query_one("#sc-error").render())
        assert store.path(stem).read_bytes() == saved
    app.session.close()


# -------------------------------------------------------------- rule trace


async def test_rule_trace_toggles_follows_screens_and_updates_live():
    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        panel = app.screen.query_one(RuleTracePanel)
        text = panel.plain
        assert "R5" in text and "✗ not met" in text

        app.open_screen("events")
        await pilot.pause()
        assert app.screen.query(RuleTracePanel)  # follows the user

        app.session.engine.take_self_test(95)
        app.changed()
        await pilot.pause()
        text = app.screen.query_one(RuleTracePanel).plain
        assert "best 95" in text

        await pilot.press("f2")
        await pilot.pause()
        text = app.screen.query_one(RuleTracePanel).plain
        assert "自测及格线" in text

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.screen.query(RuleTracePanel)


# ---------------------------------------------------------------- event log


async def test_event_log_newest_first_and_filter_by_kind():
    app = make_app("en", contract_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("events")
        await pilot.pause()
        table = app.screen.query_one("#ev-table")
        events = app.session.engine.events
        assert table.row_count == len(events)
        first = table.get_row_at(0)
        assert first[0] == str(len(events))  # newest first
        app.screen.query_one("#ev-kind").value = "spend"
        await pilot.pause()
        kinds = {table.get_row_at(i)[3] for i in range(table.row_count)}
        assert kinds == {"spend"}
        assert table.row_count == sum(e["kind"] == "spend" for e in events)


async def test_event_log_shows_real_time_when_recorded():
    session = make_session()
    session.engine.real_clock = lambda: 1_782_870_000
    session.engine.take_self_test(50)
    app = make_app("en", session, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("events")
        await pilot.pause()
        row = app.screen.query_one("#ev-table").get_row_at(0)
        assert row[2] != "-" and row[2].startswith("2026-")


async def test_event_log_export_key_writes_three_files(tmp_path):
    app = make_app("en", contract_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("events")
        await pilot.pause()
        app.screen.export_dir = tmp_path
        await pilot.press("x")
        await pilot.pause()
        names = sorted(p.name for p in tmp_path.iterdir())
        assert sorted(n.rsplit(".", 1)[1] for n in names) == ["csv", "jsonl", "md"]
        notes = [n.message for n in app._notifications]
        assert any(names[0] in note and str(tmp_path) in note for note in notes)


# --------------------------------------------------------------------- demo


async def test_demo_restart_returns_to_the_default_start():
    app = make_app("en", make_session(), demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_name(app) == "NewcomerPopup"
        await pilot.press("escape")
        app.session.engine.take_self_test(90)
        app.session.engine.advance_by(86400)
        app.changed()
        app.notify("Settled the P4P day: a toast about the old session")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        engine = app.session.engine
        assert engine.attempts == []
        toasts = [str(n.message) for n in app._notifications]
        assert not any("old session" in toast for toast in toasts)
        assert engine.clock == engine.start_clock
        assert app.session.handle is None
        assert screen_name(app) == "NewcomerPopup"  # the demo starts over


async def test_restart_key_only_in_demo_mode():
    app = make_app("en", contract_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.session.engine.report()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.session.engine.report() == before
        assert app.check_action("demo_reset", ()) is False

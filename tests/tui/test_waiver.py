"""The waiver screen: each state in both languages (snapshots, frozen clock,
seed 1, feed paused), and its lock, tier, confirmation and forms."""

from __future__ import annotations

import pytest

from app.core import timeutil
from tests.tui.conftest import (
    SIZE,
    SMALL,
    make_app,
    passed_session,
    ready_session,
)
from tests.tui.test_feed_tui import screen_text

LANGS = ["en", "zh"]


async def _open(pilot) -> None:
    await pilot.press("3")
    await pilot.pause()


async def _quiet(pilot) -> None:
    """No toasts in a snapshot: they come and go with real time."""
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


async def _active_over_cap(pilot) -> None:
    """Waiver day 2, one minute before its cutoff, spend above the cap."""
    app = pilot.app
    await _open(pilot)
    app.session.engine.activate()
    app.changed()
    app.feed.jump_to_cutoff()
    app.feed.jump_before_cutoff()
    await _quiet(pilot)


async def _active_chart(pilot) -> None:
    """A week into the waiver, scrolled down to the chart and the ledger."""
    app = pilot.app
    await _open(pilot)
    app.session.engine.activate()
    app.changed()
    for _ in range(6):
        app.feed.jump_to_cutoff()
    app.feed.jump_before_cutoff()
    await _quiet(pilot)
    app.screen.query_one("#wv-chart").scroll_visible(top=True, animate=False)
    await pilot.pause()


async def _finished(pilot) -> None:
    app = pilot.app
    await _open(pilot)
    app.session.engine.activate()
    app.changed()
    app.feed.jump_to(app.session.engine.clock + 31 * 86400)
    app.feed.run_pending()
    await _quiet(pilot)


async def _lapsed(pilot) -> None:
    app = pilot.app
    await _open(pilot)
    app.feed.jump_to(app.session.engine.deadline + 60)
    app.feed.run_pending()
    await _quiet(pilot)


@pytest.mark.parametrize("lang", LANGS)
def test_locked(snap_compare, lang):
    app = make_app(lang, passed_session(), popup=False)
    assert snap_compare(app, run_before=_open, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_ready(snap_compare, lang):
    app = make_app(lang, ready_session(), popup=False)
    assert snap_compare(app, run_before=_open, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_active_over_the_cap(snap_compare, lang):
    app = make_app(lang, ready_session(red_packet=5000), popup=False)
    assert snap_compare(app, run_before=_active_over_cap, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_active_fits_80x24(snap_compare, lang):
    app = make_app(lang, ready_session(red_packet=5000), popup=False)
    assert snap_compare(app, run_before=_active_over_cap, terminal_size=SMALL)


@pytest.mark.parametrize("lang", LANGS)
def test_active_chart_and_ledger(snap_compare, lang):
    app = make_app(lang, ready_session(red_packet=5000), popup=False)
    assert snap_compare(app, run_before=_active_chart, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_finished(snap_compare, lang):
    app = make_app(lang, ready_session(red_packet=5000), popup=False)
    assert snap_compare(app, run_before=_finished, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_lapsed(snap_compare, lang):
    app = make_app(lang, ready_session(), popup=False)
    assert snap_compare(app, run_before=_lapsed, terminal_size=SIZE)


# ------------------------------------------------------------ behaviour


async def test_locked_says_which_rule_and_refuses_activation():
    app = make_app("en", passed_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        state = screen_text(app, "#wv-state")
        assert "⊘" in state and "R12" in state and "keywords" in state
        assert app.screen.query_one("#wv-activate").disabled
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "WaiverScreen"
        assert app.session.engine.activated_at is None


async def test_tier_table_marks_the_accounts_row_in_words():
    app = make_app("en", ready_session(recharge=45000), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        tier = screen_text(app, "#wv-tier")
        marked = [line for line in tier.splitlines() if "◀ your tier" in line]
        assert len(marked) == 1
        assert "▶" in marked[0] and "40,000.00" in marked[0]
        assert "200.00" in marked[0] and "20" in marked[0]
        assert "45,000.00" in tier


async def test_confirmation_says_when_day_one_runs_and_that_coupons_pause():
    app = make_app("en", ready_session(coupons=500), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "ActivateConfirm"
        body = screen_text(app, "#act-body")
        assert "2026-06-30 16:00" in body and "2026-07-01 16:00" in body
        assert "R19" in body and "500.00" in body
        assert "2026-07-30 16:00" in body  # the end of day 30
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.engine.activated_at is None

        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        engine = app.session.engine
        assert engine.activated_at == engine.clock
        assert "Waiver day 1 of 30" in screen_text(app, "#wv-state")
        assert "paused (R19)" in screen_text(app, "#wv-balances")


async def test_top_up_form_names_each_wrong_field():
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "at least one field" in screen_text(app, "#dialog-error")
        app.screen.query_one("#top-red_packet").value = "-5"
        app.screen.query_one("#top-coupons").value = "1.234"
        await pilot.press("enter")
        await pilot.pause()
        error = screen_text(app, "#dialog-error")
        assert "Red packet" in error and "Coupons" in error and "Cash" not in error
        app.screen.query_one("#top-red_packet").value = "50"
        app.screen.query_one("#top-coupons").value = "20.5"
        await pilot.press("enter")
        await pilot.pause()
        engine = app.session.engine
        assert (engine.red_packet, engine.coupons) == (5000, 2050)
        assert engine.events[-1]["kind"] == "top_up"


async def test_budget_form_sets_budget_and_seed():
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#budget-amount").value = "0"
        app.screen.query_one("#budget-seed").value = "x"
        await pilot.press("enter")
        await pilot.pause()
        error = screen_text(app, "#dialog-error")
        assert "Daily budget" in error and "Seed" in error
        app.screen.query_one("#budget-amount").value = "20"
        app.screen.query_one("#budget-seed").value = "42"
        await pilot.press("enter")
        await pilot.pause()
        settings = app.feed.settings
        assert (settings.budget, settings.seed) == (2000, 42)
        assert app.session.workspace["feed"]["seed"] == 42
        await pilot.press("d")
        await pilot.pause()
        assert all(row.spend <= 2000 for row in app.session.engine.ledger)


async def test_every_feed_action_is_in_the_command_palette():
    app = make_app("zh", ready_session(), popup=False)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("推广：运行 / 暂停", "时钟：前进 1 天", "帐户：充值…"):
            assert title in titles


async def test_language_switch_keeps_the_live_view():
    app = make_app("en", ready_session(red_packet=5000), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await _active_over_cap(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert "免单第 2/30 天" in screen_text(app, "#wv-state")
        assert "超出上限" in screen_text(app, "#wv-window-text")
        assert app.screen.query_one("#wv-ledger").row_count == 1


async def test_f1_explains_the_screen_and_the_chart():
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpModal"
        assert app.screen.topic == "waiver"


def test_clock_in_snapshots_is_frozen():
    assert timeutil.show(ready_session().engine.clock) == "2026-07-01 09:00"

"""The app shell: first start, popup, Marketing Center, language switch."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, SMALL, make_app, make_session, passed_session


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_popup_opens_on_first_entry(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_marketing_center_after_closing_popup(snap_compare, lang):
    assert snap_compare(make_app(lang), press=["escape"], terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_marketing_center_fits_80x24(snap_compare, lang):
    app = make_app(lang, passed_session(), popup=False)
    assert snap_compare(app, terminal_size=SMALL)


async def test_popup_is_recorded_once_and_reopens_from_guide_key():
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.engine.popup_shown_at is not None
        assert type(app.screen).__name__ == "NewcomerPopup"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MarketingCenterScreen"
        await pilot.press("g")
        assert type(app.screen).__name__ == "NewcomerPopup"
    kinds = [e["kind"] for e in app.session.engine.events]
    assert kinds.count("open_marketing_center") == 1


async def test_language_switch_relabels_everything():
    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        card = app.screen.query_one("#card-step1")
        assert "Not taken" in str(card.render())
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "zh"
        card = app.screen.query_one("#card-step1")
        assert "尚未参加" in str(card.render())
        footer_text = " ".join(
            active.binding.description for active in app.screen.active_bindings.values()
        )
        assert "自测" in footer_text


async def test_locked_cards_say_which_rule_locks_them():
    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        step2 = str(app.screen.query_one("#card-step2").render())
        step3 = str(app.screen.query_one("#card-step3").render())
        assert "R5" in step2
        assert "R5" in step3 or "R12" in step3


async def test_f1_shows_help_for_the_screen():
    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpModal"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MarketingCenterScreen"


async def test_f1_and_f2_work_inside_a_dialog():
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "NewcomerPopup"
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "zh"
        assert "开始自测" in str(app.screen.query_one("#start").label)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpModal"

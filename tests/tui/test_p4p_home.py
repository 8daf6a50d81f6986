"""The P4P home: balances, promotion counts and the status popup (R22)."""

from __future__ import annotations

import pytest
from rich.console import Console

from tests.tui.conftest import SIZE, make_app, make_session, passed_session


def text_of(widget) -> str:
    """The text of a Static holding a Rich renderable."""
    console = Console(width=100, color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


async def open_home(pilot) -> None:
    pilot.app.open_screen("p4p_home")
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_opens_with_the_status_popup(snap_compare, lang):
    app = make_app(lang, make_session(red_packet=500, coupons=50), popup=False)
    assert snap_compare(app, run_before=open_home, terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_after_closing_the_popup(snap_compare, lang):
    session = passed_session(red_packet=500, coupons=50)
    session.engine.add_products(31)
    session.engine.spend(1234)
    app = make_app(lang, session, popup=False)
    assert snap_compare(app, run_before=open_home, press=["escape"], terminal_size=SIZE)


async def test_popup_shows_the_same_status_and_goes_to_the_step():
    app = make_app("en", passed_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot)
        assert type(app.screen).__name__ == "PlanStatusPopup"
        banner = str(app.screen.query_one("StatusBanner").render())
        assert "Step 2 of 3" in banner and "Activation deadline" in banner
        await pilot.press("escape")
        assert type(app.screen).__name__ == "P4PHomeScreen"
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#go")
        await pilot.pause()
        assert app.screen.__class__.__name__ in ("TasksScreen", "_ComingSoon")


async def test_balances_follow_spend_and_say_when_ads_are_offline():
    session = make_session(recharge=10000)
    app = make_app("en", session, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot)
        await pilot.press("escape")
        home = app.screen
        session.engine.spend(session.engine.available)
        app.changed()
        await pilot.pause()
        balances = text_of(home.query_one("#ph-balances"))
        ads = str(home.query_one("#ph-ads").render())
    assert "10,000.00" in balances  # held
    assert ads.startswith("✗ Ads offline") and "R21" in ads


async def test_language_switch_on_the_home_does_not_reopen_the_popup():
    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot)
        await pilot.press("f2")  # on the popup: dialogs repeat F2
        await pilot.pause()
        assert app.lang == "zh"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "P4PHomeScreen"
        assert "现金" in text_of(app.screen.query_one("#ph-balances"))

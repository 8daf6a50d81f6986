"""Help Center: task guide (R6), FAQ, glossary, lessons; live language."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, SMALL, make_app, make_session


def opener(tab: str = "guide"):
    async def run_before(pilot) -> None:
        pilot.app.open_screen("help", tab=tab)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("tab", ["guide", "faq", "glossary", "lessons"])
def test_help_center_tabs(snap_compare, lang, tab):
    app = make_app(lang, make_session(), popup=False)
    assert snap_compare(app, run_before=opener(tab), terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("tab", ["guide", "glossary", "lessons"])
def test_help_center_fits_80x24(snap_compare, lang, tab):
    app = make_app(lang, make_session(), popup=False)
    assert snap_compare(app, run_before=opener(tab), terminal_size=SMALL)


async def test_guide_reopens_the_newcomer_popup():
    """R6: the popup closed without studying opens again from here."""
    app = make_app("en", make_session())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # close the popup unread
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpCenterScreen"
        await pilot.click("#hc-reopen")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewcomerPopup"
    kinds = [e["kind"] for e in app.session.engine.events]
    assert kinds.count("open_marketing_center") == 1


async def test_tabs_by_key_and_language_switch_keeps_the_place():
    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("help")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("tab")  # focus the lesson list
        app.screen.query_one("#hc-list").highlighted = 3
        await pilot.pause()
        text = app.screen.query_one("#hc-lesson-text").source
        assert text.startswith("# Step 3")
        assert "{{" not in text  # calc placeholders rendered
        await pilot.press("f2")
        await pilot.pause(0.3)
        screen = app.screen
        assert screen.query_one("TabbedContent").active == "hc-lessons"
        assert screen.query_one("#hc-lesson-text").source.startswith("# 第三步")


async def test_glossary_shows_the_whole_note_of_the_selected_term():
    app = make_app("zh", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("help", tab="glossary")
        await pilot.pause()
        table = app.screen.query_one("#hc-terms")
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        note = str(app.screen.query_one("#hc-term-note").render())
        assert note.startswith("新客户成长计划 · New Customer Growth Plan")
        assert table.row_count >= 40


async def test_faq_lists_every_entry_in_the_language():
    from app.core import content

    app = make_app("en", make_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("help", tab="faq")
        await pilot.pause()
        source = app.screen.query_one("#hc-faq-text").source
    for entry in content.load_faq():
        assert entry.q["en"] in source

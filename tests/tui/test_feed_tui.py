"""The spend feed inside the app: settlement over a cutoff, an idle waiver
day, the deadline passing, ads offline and back, running on every screen,
saving, and reopening a saved profile."""

from __future__ import annotations

import time
from datetime import date

from app.core import timeutil
from app.core.session import Session
from app.core.store import ProfileStore
from app.tui.feed_driver import SAVE_EVERY
from tests.tui.conftest import FROZEN, SIZE, make_app, make_session, ready_session


class FakeWall:
    """A real-time clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def screen_text(app, selector: str) -> str:
    widget = app.screen.query_one(selector)
    return "\n".join(
        strip.text for strip in widget.render_lines(widget.region.reset_offset)
    )


def toasts(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def open_waiver(pilot) -> None:
    await pilot.press("3")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "WaiverScreen"


async def activate(pilot) -> None:
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.session.engine.activated_at is not None


async def test_settlement_over_a_cutoff_writes_the_row_and_releases_held():
    app = make_app("en", ready_session(red_packet=5000), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await activate(pilot)
        engine = app.session.engine
        await pilot.press("b")  # one minute before the first cutoff
        await pilot.pause()
        held = engine.held
        assert held > 0
        cash_before, available_before = engine.cash, engine.available
        assert available_before == engine.cash + engine.red_packet - held
        assert "Held (frozen) now" in screen_text(app, "#wv-window-text")

        await pilot.press("n")  # to the cutoff: settle waiver day 1
        await pilot.pause()
        assert engine.held == 0 and engine.days_used == 1
        row = engine.ledger[-1]
        assert (row.waiver_day, row.spend) == (1, held)
        assert row.waived == min(held, engine.tier.daily_cap)
        assert engine.cash == cash_before - row.cash
        # The waived part of what was held comes back to what ads can spend.
        assert engine.available == available_before + row.waived
        table = app.screen.query_one("#wv-ledger")
        assert table.row_count == 1
        assert "released" in toasts(app)
        assert "Waiver day 2 of 30" in screen_text(app, "#wv-state")


async def test_a_day_without_spend_uses_up_a_waiver_day():
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await activate(pilot)
        engine = app.session.engine
        engine.add_keywords(-engine.keywords)  # R11: no longer checked
        app.changed()
        await pilot.pause()
        assert "No keywords in promotion" in screen_text(app, "#wv-feed-line")
        await pilot.press("n")
        await pilot.pause()
        row = engine.ledger[-1]
        assert (row.waiver_day, row.spend, row.waived) == (1, 0, 0)
        assert engine.days_used == 1 and engine.days_left == 29
        assert "used up all the same (R18)" in toasts(app)


async def test_the_deadline_passing_while_the_app_is_open():
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        engine = app.session.engine
        driver = app.feed
        wall = FakeWall()
        driver._wall = wall
        driver.jump_to(engine.deadline - 2 * 86400)
        driver.run_pending()
        await pilot.pause()
        assert "⚠ Less than 3 days left" in screen_text(app, "#wv-deadline")

        driver.jump_to(engine.deadline - 1800)
        driver.run_pending()
        await pilot.press("s", "s")  # 1 min/s -> 1 hour/s -> real time
        await pilot.press("s")  # back to 1 minute per second
        await pilot.press("s")  # 1 hour per second
        assert driver.settings.speed == 3600
        await pilot.press("p")
        driver._last_wall = wall.now
        wall.now += 1.0  # one real second: an hour of simulated time
        driver._on_tick()
        await pilot.pause()
        assert engine.stage == "lapsed"
        assert "Lapsed" in screen_text(app, "#wv-state")
        assert "R13" in screen_text(app, "#wv-state")
        assert "lapsed (R13)" in toasts(app)
        assert app.screen.query_one("#wv-activate").disabled


async def test_ads_go_offline_and_come_back_after_a_top_up():
    app = make_app("en", ready_session(cash=20), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        engine = app.session.engine
        await pilot.press("d")
        await pilot.pause()
        assert not engine.ads_online
        assert "Ads offline" in screen_text(app, "#wv-feed-line")
        assert "Ads offline" in toasts(app)
        clicks = len(app.feed.feed.recent)

        await pilot.press("t")
        await pilot.pause()
        assert type(app.screen).__name__ == "TopUpForm"
        await pilot.press(*"abc")
        await pilot.press("enter")
        await pilot.pause()
        error = screen_text(app, "#dialog-error")
        assert "Cash" in error and "not an amount" in error
        app.screen.query_one("#top-cash").value = "1000"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WaiverScreen"
        assert engine.ads_online
        assert "back online" in toasts(app)
        await pilot.press("d")
        await pilot.pause()
        assert len(app.feed.feed.recent) > clicks


async def test_the_feed_runs_on_every_screen():
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        driver = app.feed
        wall = FakeWall()
        driver._wall = wall
        driver._last_wall = wall.now
        await pilot.press("p")
        assert driver.settings.playing
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MarketingCenterScreen"
        start, tick = app.session.engine.clock, app.tick
        wall.now += 0.5
        driver._on_tick()
        await pilot.pause()
        assert app.session.engine.clock == start + 30  # 1 minute per second
        assert app.tick == tick + 1
        assert "09:00:30" in screen_text(app, "TopBar")


async def test_saves_at_settlement_and_every_few_seconds_not_per_click(tmp_path):
    store = ProfileStore(tmp_path)
    session = Session.open(store, "trainee", clock=FROZEN)
    saves = []
    real_save = session.save
    session.save = lambda: saves.append(session.engine.clock) or real_save()
    app = make_app("en", session, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        driver = app.feed
        wall = FakeWall()
        driver._wall = wall
        driver._last_wall = driver._last_save = wall.now
        driver.settings.speed = 3600
        driver.settings.playing = True
        for _ in range(20):  # two real seconds: 2 hours, many clicks
            wall.now += 0.1
            driver._on_tick()
        assert saves == []
        wall.now += SAVE_EVERY
        driver._on_tick()
        assert len(saves) == 1
        driver.jump_to_cutoff()
        await pilot.pause()
        assert len(saves) == 2, "one save at the settlement"
    session.close()


def meet_tasks(session: Session) -> None:
    engine = session.engine
    engine.take_self_test(90)
    engine.set_info_score(engine.rules.info_score_required)
    engine.add_products(engine.rules.products_required)
    engine.add_keywords(engine.rules.keywords_required)


async def test_reopening_a_profile_resumes_and_settles(tmp_path):
    store = ProfileStore(tmp_path)
    session = Session.open(store, "trainee", clock=FROZEN)
    meet_tasks(session)
    engine = session.engine
    app = make_app("en", session, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await activate(pilot)
        await pilot.press("b")
        await pilot.pause()
        held = engine.held
        assert held > 0
    session.close()  # the app saved on the way out

    again = Session.open(store, "trainee")
    assert again.engine.clock == engine.clock
    assert again.engine.held == held and again.engine.days_used == 0
    app = make_app("en", again, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await pilot.press("n")
        await pilot.pause()
        row = again.engine.ledger[-1]
        assert (row.waiver_day, row.spend) == (1, held)
        assert app.screen.query_one("#wv-ledger").row_count == 1
    again.close()


async def test_a_feed_left_playing_in_real_time_catches_up_on_reopen(tmp_path):
    store = ProfileStore(tmp_path)
    session = Session.open(store, "trainee", clock=FROZEN)
    meet_tasks(session)
    session.workspace["feed"] = {
        "seed": 1,
        "budget": 30000,
        "speed": 1,
        "playing": True,
        "wall": int(time.time()) - 86400,  # closed a day ago
    }
    session.save()
    session.close()

    again = Session.open(store, "trainee")
    app = make_app("en", again, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        app.feed.run_pending()
        await pilot.pause()
        engine = again.engine
        assert engine.clock >= FROZEN + 86400
        assert engine.ledger, "the cutoff passed while closed is settled"
        assert engine.ledger[0].window_end == FROZEN + 7 * 3600
        assert "while the app was closed" in toasts(app)
    again.close()


async def test_jump_to_a_date_refuses_the_past_and_moves_forward():
    app = make_app("en", make_session(payment_date=date(2026, 7, 1)), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await pilot.press("j")
        await pilot.pause()
        field = app.screen.query_one("#jump-when")
        field.value = "2026-06-30 10:00"
        await pilot.press("enter")
        await pilot.pause()
        assert "never goes backwards" in screen_text(app, "#dialog-error")
        field.value = "yesterday"
        await pilot.press("enter")
        await pilot.pause()
        assert "Date and time" in screen_text(app, "#dialog-error")
        field.value = "2026-07-03 12:00"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WaiverScreen"
        assert app.session.engine.clock == FROZEN + 2 * 86400 + 3 * 3600


async def test_the_clock_below_shows_the_jump_when_back():
    """Bars on screens below the top one skip the feed's ticks, and catch up
    when their screen is on top again."""
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "2026-07-02 09:00:00" in screen_text(app, "TopBar")
        assert "29d" in screen_text(app, "StatusBanner")


# The simulated calendar ends at timeutil.MAX_TS (2099-12-31 23:59:59).
NEAR_END = timeutil.MAX_TS - 2 * 3600


async def test_the_feed_stops_at_the_end_of_the_calendar_with_a_message():
    session = make_session(clock=NEAR_END, keywords=50)
    app = make_app("en", session, popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        engine = app.session.engine
        driver = app.feed
        wall = FakeWall()
        driver._wall = wall
        driver.set_speed(3600)
        await pilot.press("p")
        assert driver.settings.playing
        for _ in range(3):  # three simulated hours: past the end
            driver._last_wall = wall.now
            wall.now += 1.0
            driver._on_tick()
        await pilot.pause()
        assert engine.clock == timeutil.MAX_TS
        assert not driver.settings.playing
        assert "reached its end, 2099-12-31 23:59:59" in toasts(app)
        assert "Paused" in screen_text(app, "#wv-feed-line")

        # Every way of moving on says so instead of raising.
        app.clear_notifications()
        for key in ("p", "b", "n", "d"):
            await pilot.press(key)
            await pilot.pause()
            assert "reached its end" in toasts(app), key
            app.clear_notifications()
        assert engine.clock == timeutil.MAX_TS
        assert not driver.settings.playing


async def test_a_jump_past_the_end_stops_at_it():
    app = make_app("en", make_session(clock=NEAR_END), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert app.session.engine.clock == timeutil.MAX_TS
        assert "reached its end" in toasts(app)


async def test_jump_to_a_date_refuses_a_date_after_the_end_of_the_calendar():
    app = make_app("en", make_session(clock=NEAR_END), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await pilot.press("j")
        await pilot.pause()
        field = app.screen.query_one("#jump-when")
        for value in ("2100-01-01 10:00", "2100-01-01", "2150-06-30"):
            field.value = value
            await pilot.press("enter")
            await pilot.pause()
            error = screen_text(app, "#dialog-error")
            assert "at most 2099-12-31 23:59:59" in error, value
            assert "not a time" not in error
            assert type(app.screen).__name__ == "JumpToDateForm"
        assert app.session.engine.clock == NEAR_END
        field.value = "2099-12-31 23:59:59"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WaiverScreen"
        assert app.session.engine.clock == timeutil.MAX_TS


async def test_the_clock_and_the_waiver_screen_run_on_under_a_form():
    app = make_app("en", ready_session(), popup=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_waiver(pilot)
        await activate(pilot)
        driver = app.feed
        wall = FakeWall()
        driver._wall = wall
        driver._last_wall = wall.now
        driver.set_speed(3600)
        await pilot.press("p")
        await pilot.press("t")
        await pilot.pause()
        assert type(app.screen).__name__ == "TopUpForm"
        waiver = app.screen_stack[-2]
        wall.now += 1.0  # an hour of simulated time
        driver._on_tick()
        await pilot.pause()
        bar = waiver.query_one("TopBar")
        assert "10:00:00" in "".join(s.text for s in bar.render_lines(bar.region))
        held = waiver.query_one("#wv-window-text")
        text = "".join(s.text for s in held.render_lines(held.region.reset_offset))
        assert "Held (frozen) now: 0.00" not in text

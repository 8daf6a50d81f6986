"""Profiles: list, create (with the form's checks), delete, reset, step
back, switch; and how `growth-plan` starts. Every test uses a temporary
state folder, never the real `state/`."""

from __future__ import annotations

import pytest

from app.cli import main
from app.core import money
from app.core.session import Session, open_store
from app.tui.app import GrowthPlanApp
from tests.tui.conftest import FROZEN, SIZE, SMALL, make_app


@pytest.fixture
def profiles(tmp_path):
    """A store with amy (self-test passed), bob (new), a damaged file, and
    trainee open; `build(lang)` gives the app. Everything is closed after."""
    store = open_store(tmp_path / "state")
    opened: list[Session] = []
    apps: list[GrowthPlanApp] = []
    for name, score in (("amy", 90), ("bob", None)):
        session = Session.open(store, name, clock=FROZEN)
        if score is not None:
            session.engine.open_marketing_center()
            session.engine.take_self_test(score)
        session.save()
        session.close()
    (store.state_dir / "broken.json").write_text('{"schema": 1, "payl')

    def build(lang: str = "en") -> GrowthPlanApp:
        session = Session.open(store, "trainee", clock=FROZEN)
        opened.append(session)
        app = make_app(lang, session, popup=False, store=store)
        apps.append(app)
        return app

    build.store = store  # type: ignore[attr-defined]
    yield build
    for app in apps:
        app.session.close()
    for session in opened:
        session.close()


async def open_profiles(pilot) -> None:
    pilot.app.open_screen("profiles")
    await pilot.pause()


async def select(pilot, name: str) -> None:
    table = pilot.app.screen.query_one("#pf-table")
    table.move_cursor(row=table.get_row_index(name))
    await pilot.pause()


def summary_stage(store, name: str) -> str:
    return {e.name: e for e in store.list()}[name].summary["stage"]


# ---------------------------------------------------------------- snapshots


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["100x30", "80x24"])
def test_profile_list(snap_compare, profiles, lang, size):
    assert snap_compare(profiles(lang), run_before=open_profiles, terminal_size=size)


def form_with(*keys: str):
    """Open the form, stop the cursor blinking (a snapshot must not depend
    on when it is taken), then type `keys`."""

    async def run_before(pilot) -> None:
        await open_profiles(pilot)
        await pilot.press("n")
        await pilot.pause()
        for field in pilot.app.screen.query("Input"):
            field.cursor_blink = False
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_new_profile_form(snap_compare, profiles, lang):
    assert snap_compare(profiles(lang), run_before=form_with(), terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_new_profile_form_with_errors(snap_compare, profiles, lang):
    keys = ["a", "/", "tab", "1", ".", "2", "3", "4", "tab", "x"]
    assert snap_compare(profiles(lang), run_before=form_with(*keys), terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_delete_confirmation(snap_compare, profiles, lang):
    async def run_before(pilot) -> None:
        await open_profiles(pilot)
        await select(pilot, "amy")

    assert snap_compare(
        profiles(lang), run_before=run_before, press=["d"], terminal_size=SIZE
    )


# ------------------------------------------------------------------- create


async def fill(pilot, **values: str) -> None:
    for key, value in values.items():
        pilot.app.screen.query_one(f"#in-{key}").value = value
    await pilot.pause()


async def test_create_a_profile_from_the_form(profiles):
    app = profiles()
    store = profiles.store
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"carol")
        await fill(
            pilot,
            recharge="50000.5",
            payment_date="2026-07-03",
            first_p4p_date="2026-07-02",
            red_packet="1,000.25",
            coupons="20",
        )
        app.screen.query_one("#in-other_promotion").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfilesScreen"
        assert app.screen.selected == "carol"
        assert "carol" in app.screen.profiles
    assert app.session.name == "trainee"  # creating does not switch
    session = Session.open(store, "carol")
    try:
        account = session.engine.account
        assert account.recharge == money.parse_amount("50000.50", "x")
        assert str(account.payment_date) == "2026-07-03"
        assert str(account.first_p4p_date) == "2026-07-02"
        assert account.red_packet == 100025 and account.coupons == 2000
        assert account.other_promotion and not account.ran_p4p_before
        assert session.engine.clock == FROZEN
    finally:
        session.close()


BAD_FIELDS = [
    ("name", "", "Profile name: required."),
    ("name", "a/b", "Profile name: “/” is not allowed"),
    ("name", "a b", "Profile name: “space” is not allowed"),
    ("name", ".hidden", "Profile name: cannot start with “.”"),
    ("name", "x" * 41, "Profile name: at most 40 characters (41 typed)"),
    ("name", "amy", "Profile name: a profile called amy already exists"),
    ("recharge", "12.345", "Opening recharge (CNY): at most 2 decimals"),
    ("recharge", "lots", "Opening recharge (CNY): “lots” is not an amount"),
    ("recharge", "-5", "Opening recharge (CNY): cannot be negative"),
    ("recharge", "", "Opening recharge (CNY): required."),
    ("payment_date", "2026-7-1", "P4P payment date: write the date as YYYY-MM-DD"),
    ("payment_date", "2026-02-30", "P4P payment date: 2026-02-30 is not a date"),
    ("first_p4p_date", "01/07/2026", "First P4P date: write the date as YYYY-MM-DD"),
    ("red_packet", "1.001", "Red packet (CNY): at most 2 decimals"),
    ("coupons", "ten", "Coupons (CNY): “ten” is not an amount"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS)
async def test_each_bad_field_says_what_is_wrong_and_blocks_create(
    profiles, field, value, message
):
    app = profiles()
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        if field != "name":
            await fill(pilot, name="dora")
        await fill(pilot, **{field: value})
        error = form.query_one(f"#err-{field}")
        if value:  # checked as it is typed, before any submit
            assert error.display and message in str(error.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused: still on the form
        assert error.display
        assert message in str(error.render())
        assert str(error.render()).startswith("✗")
        assert form.query_one(f"#in-{field}").value == value  # nothing lost
        assert form.query_one(f"#in-{field}").has_focus
    assert not profiles.store.exists("dora")


async def test_form_keeps_input_and_translates_errors_on_language_switch(profiles):
    app = profiles()
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, name="ok", coupons="1.234")
        await pilot.press("f2")
        await pilot.pause(0.3)
        form = app.screen
        assert form.query_one("#in-name").value == "ok"
        assert form.query_one("#in-coupons").value == "1.234"
        assert "优惠卡券（元）：最多两位小数" in str(
            form.query_one("#err-coupons").render()
        )


async def test_escape_cancels_the_form(profiles):
    app = profiles()
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await pilot.press("n", *"eve", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfilesScreen"
    assert not profiles.store.exists("eve")


# ------------------------------------------------------------------- delete


async def test_delete_asks_first_then_deletes(profiles):
    app = profiles()
    store = profiles.store
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await select(pilot, "amy")
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("escape")
        await pilot.pause()
        assert store.exists("amy")
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert not store.exists("amy")
        assert "amy" not in app.screen.profiles


async def test_a_damaged_profile_is_listed_and_can_be_deleted(profiles):
    app = profiles()
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await select(pilot, "broken")
        detail = str(app.screen.query_one("#pf-detail").render())
        assert "⚠ damaged: the JSON text ends early" in detail
        await pilot.press("d", "enter")
        await pilot.pause()
    assert not profiles.store.exists("broken")


async def test_the_open_profile_cannot_be_deleted(profiles):
    app = profiles()
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await select(pilot, "trainee")
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfilesScreen"
    assert profiles.store.exists("trainee")


# -------------------------------------------------------- reset, step back


async def test_reset_the_open_profile_goes_back_to_the_start(profiles):
    app = profiles()
    async with app.run_test(size=SIZE) as pilot:
        engine = app.session.engine
        engine.open_marketing_center()
        engine.take_self_test(95)
        engine.advance_by(3600)
        app.changed()
        await open_profiles(pilot)
        await select(pilot, "trainee")
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MarketingCenterScreen"
        assert app.session.engine.events == []
        assert app.session.engine.clock == FROZEN + 3600
    assert summary_stage(profiles.store, "trainee") == "self_test"


async def test_step_back_another_profile(profiles):
    app = profiles()
    store = profiles.store
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await select(pilot, "amy")
        assert summary_stage(store, "amy") == "tasks"
        await pilot.press("b", "enter")
        await pilot.pause()
        assert summary_stage(store, "amy") == "self_test"
        assert "self-test" in str(app.screen.query_one("#pf-table").get_row("amy")[1])
        # Nothing left to undo now: refused with the reason, no dialog.
        await pilot.press("b")
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfilesScreen"
    assert app.session.name == "trainee"


# ------------------------------------------------------------------- switch


async def test_switch_to_another_profile(profiles):
    app = profiles()
    store = profiles.store
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        await select(pilot, "amy")
        await pilot.press("o")
        await pilot.pause()
        assert app.session.name == "amy"
        assert app.session.saving
        assert type(app.screen).__name__ == "MarketingCenterScreen"
        assert "amy" in str(app.screen.query_one("TopBar").render())
        assert "Passed" in str(app.screen.query_one("#card-step1").render())
    assert (store.state_dir / ".last-profile").read_text() == "amy"
    # The profile left behind was saved and released.
    handle = store.open("trainee")
    handle.close()


async def test_switch_to_a_locked_profile_opens_it_read_only(profiles):
    app = profiles()
    store = profiles.store
    holder = store.open("bob")  # held elsewhere
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_profiles(pilot)
            await select(pilot, "bob")
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.name == "bob"
            assert app.session.handle.read_only
            assert "READ-ONLY" in str(app.screen.query_one("TopBar").render())
    finally:
        holder.close()


async def test_demo_mode_has_no_profiles(profiles):
    app = profiles()
    app.demo = True
    async with app.run_test(size=SIZE) as pilot:
        await open_profiles(pilot)
        assert "Demo mode" in str(app.screen.query_one("#pf-detail").render())
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfilesScreen"


# ------------------------------------------------------------------ start-up


@pytest.fixture
def no_run(monkeypatch):
    """Start `growth-plan` in-process without running the TUI; keeps the
    app it would have run."""
    started: list[GrowthPlanApp] = []

    def run(self, *args, **kwargs):
        started.append(self)

    monkeypatch.setattr(GrowthPlanApp, "run", run)
    return started


def test_first_start_opens_the_default_trainee(tmp_path, no_run):
    assert main(["--state-dir", str(tmp_path), "--lang", "en"]) == 0
    (app,) = no_run
    account = app.session.engine.account
    assert app.session.name == "trainee"
    assert account.recharge == 3_000_000
    assert account.payment_date == account.first_p4p_date
    assert app.session.engine.popup_shown_at is None  # the popup will open
    assert (tmp_path / "trainee.json").is_file()


@pytest.mark.parametrize("name", ["a/b", ".x", "x" * 41])
def test_bad_profile_name_is_one_clear_line(tmp_path, capsys, no_run, name):
    assert main(["--state-dir", str(tmp_path), "--profile", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("growth-plan: --profile: Profile name")
    assert "Traceback" not in err and err.count("\n") == 1
    assert not no_run


def test_unusable_state_dir_is_one_clear_line(tmp_path, capsys, no_run):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["--state-dir", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert "Cannot create the state folder" in err and "--state-dir" in err
    assert "Traceback" not in err
    assert not no_run


def test_locked_profile_opens_read_only_with_a_message(tmp_path, capsys, no_run):
    store = open_store(tmp_path)
    Session.open(store, "amy", clock=FROZEN).close()
    holder = store.open("amy")
    try:
        assert main(["--state-dir", str(tmp_path), "--profile", "amy"]) == 0
    finally:
        holder.close()
    (app,) = no_run
    assert app.session.name == "amy"
    assert app.session.handle is None or app.session.handle.read_only
    assert "read-only" in capsys.readouterr().err
    assert "read-only" in (app.session.notice or "")

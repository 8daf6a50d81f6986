"""The plan's status as a banner (R22) and the top bar with the clock."""

from __future__ import annotations

from rich.text import Text
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from app.core import status, timeutil
from app.tui.base import PlanMixin

# Status is never told by colour alone: every state also has a word and a
# symbol, so it reads on a monochrome terminal and to a screen reader.
STAGE_MARK = {
    "ineligible": "✗",
    "self_test": "①",
    "tasks": "②",
    "ready": "③",
    "waiver": "▶",
    "finished": "✓",
    "lapsed": "✗",
}


def in_view(screen: Screen) -> bool:
    """`screen` is on top, or shows under the modals (forms, popups) above
    it: then its live parts should follow the feed's ticks."""
    for shown in reversed(screen.app.screen_stack):
        if shown is screen:
            return True
        if not isinstance(shown, ModalScreen):
            return False
    return False


class TopBar(PlanMixin, Static):
    """Profile, simulated clock and mode, on one line."""

    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self.update_bar)
        self.watch(self.app, "tick", self._on_tick, init=False)
        self.watch(self.app, "lang", self.update_bar, init=False)
        self.app.screen_change_signal.subscribe(self, self._on_screen_change)

    def _on_tick(self) -> None:
        # The feed ticks several times a second; a bar on a screen hidden
        # below the top one would repaint the whole top screen for nothing.
        # Under a form (a modal) it is still seen, so it keeps running.
        if in_view(self.screen):
            self.update_bar()

    def _on_screen_change(self, screen: object) -> None:
        if screen is self.screen:
            self.update_bar()

    def update_bar(self) -> None:
        session = self.session
        mode = ""
        if self.plan_app.demo:
            mode = f"  [{self.t('demo')}]"
        elif session.handle is not None and session.handle.read_only:
            mode = f"  [{self.t('read_only')}]"
        # The clock comes first: on a narrow terminal the title is what may
        # be cut, never the time.
        text = Text.assemble(
            f"{self.t('clock')} ",
            (timeutil.show(self.engine.clock, seconds=True), "bold"),
            f"  ·  {self.t('profile')}: {session.name}",
            mode,
            "  ·  ",
            (self.t("app.title"), "dim"),
        )
        # One line, always: no layout pass on each tick of the spend feed.
        self.update(text, layout=False)


class StatusBanner(PlanMixin, Static):
    """Current step, what to do next, and the deadline countdown."""

    DEFAULT_CSS = """
    StatusBanner {
        height: auto; padding: 0 1; margin: 0 0 1 0;
        border: round $primary; background: $boost;
    }
    StatusBanner.-warning { border: round $warning; }
    StatusBanner.-closed { border: round $error; }
    """

    def on_mount(self) -> None:
        self._height: int | None = None
        self.watch(self.app, "revision", self.update_banner)
        self.watch(self.app, "tick", self._on_tick, init=False)
        self.watch(self.app, "lang", self.update_banner, init=False)
        self.app.screen_change_signal.subscribe(self, self._on_screen_change)

    def _on_tick(self) -> None:
        if in_view(self.screen):  # see TopBar._on_tick
            self.update_banner()

    def _on_screen_change(self, screen: object) -> None:
        if screen is self.screen:
            self.update_banner()

    def update_banner(self) -> None:
        engine = self.engine
        lang = self.lang
        plan = status.plan_status(engine, lang)
        self.border_title = self.t("plan.name")
        self.set_class(plan.warning, "-warning")
        self.set_class(plan.stage in ("lapsed", "ineligible"), "-closed")
        lines = Text.assemble(
            (f"{STAGE_MARK[plan.stage]} {self.t(plan.step)}", "bold"),
            f": {self.t('stage.' + plan.stage)}\n",
            (f"{self.t('next')}: ", "bold"),
            plan.next_step,
        )
        if engine.activated_at is None and plan.stage != "ineligible":
            left = status.countdown(plan.seconds_left, lang)
            warn = " ⚠" if plan.warning else ""
            lines.append(
                f"\n{self.t('deadline')}: {status.deadline_text(engine)}"
                f"  ({self.t('deadline_left')} {left}){warn}"
            )
        # The spend feed calls this several times a second: lay the screen
        # out again only when the banner's height may change.
        width = self.content_size.width
        height = len(lines.wrap(self.app.console, width)) if width else None
        self.update(lines, layout=height is None or height != self._height)
        self._height = height

"""The Textual app: one session (profile) on screen at a time.

Screens are imported when first opened, which keeps start-up close to a bare
Textual app. Every change goes through `changed()`, which saves and bumps
`revision`; screens watch it. The simulated feed bumps `tick` instead, so a
running clock refreshes only what shows time and money.
"""

from __future__ import annotations

import copy
import importlib
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from app.core import i18n
from app.core.session import Session
from app.core.store import ProfileStore
from app.tui import strings  # noqa: F401  (registers the shell's strings)
from app.tui.base import translate_bindings

if TYPE_CHECKING:
    from app.tui.feed_driver import FeedDriver

# name -> (module, class). Feature screens live in app/tui/screens/.
SCREENS_LAZY: dict[str, tuple[str, str]] = {
    "marketing": ("app.tui.screens.marketing", "MarketingCenterScreen"),
    "self_test": ("app.tui.screens.self_test", "SelfTestScreen"),
    "tasks": ("app.tui.screens.tasks", "TasksScreen"),
    "waiver": ("app.tui.screens.waiver", "WaiverScreen"),
    "p4p_home": ("app.tui.screens.p4p_home", "P4PHomeScreen"),
    "help": ("app.tui.screens.help_center", "HelpCenterScreen"),
    "profiles": ("app.tui.screens.profiles", "ProfilesScreen"),
    "scenarios": ("app.tui.screens.scenarios", "ScenarioPickerScreen"),
    "events": ("app.tui.screens.event_log", "EventLogScreen"),
}

i18n.register(
    {
        "cmd.self_test": {"en": "Go: Self-test", "zh": "前往：新手自测"},
        "cmd.tasks": {"en": "Go: Tasks", "zh": "前往：新手任务"},
        "cmd.waiver": {"en": "Go: Spend waiver", "zh": "前往：新手免单"},
        "cmd.p4p_home": {"en": "Go: P4P home", "zh": "前往：外贸直通车首页"},
        "cmd.help": {"en": "Go: Help Center", "zh": "前往：帮助中心"},
        "cmd.profiles": {"en": "Go: Profiles", "zh": "前往：档案管理"},
        "cmd.marketing": {"en": "Go: Marketing Center", "zh": "前往：营销中心"},
        "cmd.scenarios": {"en": "Demo: Scenario picker", "zh": "演示：场景选择"},
        "cmd.events": {"en": "Records: Event log", "zh": "记录：事件日志"},
        "cmd.popup": {"en": "Help: Newcomer guide", "zh": "帮助：新手引导"},
        "cmd.rule_trace": {
            "en": "Tools: Rule trace on/off (ctrl+t)",
            "zh": "工具：规则追踪 开/关（ctrl+t）",
        },
        "cmd.demo_reset": {
            "en": "Demo: Restart the demo (ctrl+r)",
            "zh": "演示：重新开始演示（ctrl+r）",
        },
        "key.rule_trace": {"en": "Rule trace", "zh": "规则追踪"},
        "key.demo_reset": {"en": "Restart demo", "zh": "重新演示"},
        "cmd.lang": {"en": "App: Switch to Chinese", "zh": "应用：切换到英文"},
        "cmd.help_focused": {
            "en": "Help: About the focused part (F1)",
            "zh": "帮助：当前焦点说明（F1）",
        },
        "cmd.go.help": {"en": "Open this screen", "zh": "打开此页面"},
        "help.marketing.title": {"en": "Marketing Center", "zh": "营销中心"},
        "help.marketing": {
            "en": "The banner shows the plan's step, what to do next and the "
            "activation deadline. Each card is one step; a ⊘ card says which "
            "rule locks it and what clears it.\n\nKeys: **1** self-test, "
            "**2** tasks, **3** waiver, **h** P4P home, **c** Help Center, "
            "**p** profiles, **g** newcomer guide, **F2** language.",
            "zh": "横幅显示计划所处步骤、下一步操作和开启截止时间。每张卡片对应一步；"
            "带 ⊘ 的卡片会说明受哪条规则限制、如何解锁。\n\n按键：**1** 新手自测，"
            "**2** 新手任务，**3** 新手免单，**h** 直通车首页，**c** 帮助中心，"
            "**p** 档案，**g** 新手引导，**F2** 切换语言。",
        },
        "help.popup.title": {"en": "Newcomer growth", "zh": "新手成长"},
        "help.popup": {
            "en": "Press **s** or the button to start the self-test. Closing "
            "keeps the guide in Help Center > Task guide (R6).",
            "zh": "按 **s** 或点击按钮开始自测。"
            "关闭后可在 帮助中心-任务引导 中再次查看（R6）。",
        },
        "help.none.title": {"en": "Help", "zh": "帮助"},
        "coming": {
            "en": "This screen is being built.",
            "zh": "此页面正在建设中。",
        },
    }
)


class GrowthPlanApp(App[None]):
    """Practise, demo and test the growth plan on one profile."""

    # Feature screens load their own .tcss (onboarding, waiver) when first
    # shown: parsing every rule at start-up cost about 40 ms of the time to
    # the first screen. Rules shared by all screens stay here.
    CSS_PATH = ["css/base.tcss", "css/tools.tcss"]
    BINDINGS = [
        # Priority: these work in dialogs too, where Textual otherwise stops
        # looking for bindings at the dialog.
        Binding("f1", "help_focused", "Help", id="help", priority=True),
        Binding("f2", "switch_lang", "中文", id="lang", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        # Hidden in the Footer so that every screen's Footer stays as it is;
        # listed in the command palette and in F1 help instead.
        Binding("ctrl+t", "rule_trace", "Rule trace", id="rule_trace", show=False),
        Binding("ctrl+r", "demo_reset", "Restart demo", id="demo_reset"),
    ]

    lang: reactive[str] = reactive("en")
    """Language of every label: "en" or "zh". Switches live (F2)."""
    revision: reactive[int] = reactive(0)
    """Bumped after every change to the session; screens refresh on it."""
    tick: reactive[int] = reactive(0, repaint=False)
    """Bumped by the spend feed as the simulated clock runs."""

    def __init__(
        self,
        session: Session,
        *,
        lang: str = "en",
        store: ProfileStore | None = None,
        demo: bool = False,
        show_popup: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.store = store
        self.demo = demo
        self.demo_start = copy.deepcopy(session.payload()) if demo else None
        """Where ctrl+r takes a demo back to (the session's payload)."""
        self.trace_visible = False
        """Whether the rule trace panel (ctrl+t) shows on every screen."""
        self._auto_popup = show_popup
        self._feed: FeedDriver | None = None
        self.set_reactive(GrowthPlanApp.lang, lang)
        self.title = i18n.t("app.title", lang)

    # ---------------------------------------------------------------- start

    @property
    def feed(self) -> FeedDriver:
        """The spend feed and the clock, which run on every screen
        (feed_driver.py). Made on first use, or just after the first screen
        is painted: nothing on that screen needs it, and importing it there
        only delays what the user sees."""
        if self._feed is None:
            from app.tui.feed_driver import FeedDriver

            self._feed = FeedDriver(self)
            self._feed.start()
        return self._feed

    def get_default_screen(self) -> Screen:
        # Marketing Center is the bottom of the stack itself, rather than
        # pushed over an empty default screen: one screen to style and lay
        # out before the first paint instead of two.
        return self.make_screen("marketing")

    def on_mount(self) -> None:
        translate_bindings(self, self.lang)
        if self.session.notice:
            self.notify(self.session.notice, severity="warning", timeout=12)
        # R3: the popup greets a newcomer; an account whose waiver already
        # runs (a demo loaded from a scenario) is past the steps it offers.
        engine = self.session.engine
        if (
            self._auto_popup
            and engine.popup_shown_at is None
            and engine.activated_at is None
        ):
            self.show_popup()
        if os.environ.get("GROWTH_PLAN_BENCH_EXIT") == "1":  # scripts/bench.py
            self.call_after_refresh(self.exit)  # leave once the screen is shown
        self.call_after_refresh(lambda: self.feed)

    def make_screen(self, name: str, **kwargs: Any) -> Screen:
        module_name, class_name = SCREENS_LAZY[name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            return _ComingSoon(name)
        return getattr(module, class_name)(**kwargs)

    def open_screen(self, name: str, **kwargs: Any) -> None:
        """Open a screen by name over the current one (Escape goes back)."""
        if name == "marketing":
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.push_screen(self.make_screen(name, **kwargs))

    def show_popup(self) -> None:
        """The newcomer popup; the first showing is recorded (R3)."""
        from app.tui.screens.popup import NewcomerPopup

        if self.session.engine.popup_shown_at is None:
            self.session.engine.open_marketing_center()
            self.changed()
        self.push_screen(NewcomerPopup())

    # -------------------------------------------------------------- changes

    def changed(self) -> None:
        """Call after every change to the session: save, then refresh."""
        had_error = self.session.save_error
        error = self.session.save()
        if error:
            self.notify(
                i18n.t("saved_failed", self.lang, error=error),
                severity="error",
                timeout=10,
            )
        elif had_error:
            self.notify(i18n.t("saved_again", self.lang))
        self.revision += 1

    def watch_lang(self, lang: str) -> None:
        self.title = i18n.t("app.title", lang)
        translate_bindings(self, lang)
        self.refresh_bindings()

    # -------------------------------------------------------------- actions

    def action_switch_lang(self) -> None:
        self.lang = "zh" if self.lang == "en" else "en"
        self.notify(i18n.t("lang_switched", self.lang), timeout=2)

    def action_help_focused(self) -> None:
        """F1: help for the focused widget, else for the screen."""
        from app.tui.widgets.help import HelpModal

        topic = ""
        node = self.focused
        while node is not None and not topic:
            topic = getattr(node, "HELP_KEY", "") or ""
            node = node.parent  # type: ignore[assignment]
        topic = topic or getattr(self.screen, "HELP_KEY", "") or "none"
        if not i18n.has(f"help.{topic}"):
            topic = "none"
        self.push_screen(HelpModal(topic))

    def action_rule_trace(self) -> None:
        from app.tui.widgets.rule_trace import toggle_trace

        toggle_trace(self)

    def action_demo_reset(self) -> None:
        from app.tui.screens.scenarios import restart_demo

        restart_demo(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        if action == "demo_reset":
            return self.demo
        return True

    def action_open(self, name: str) -> None:
        self.open_screen(name)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the app in the command palette, by category."""
        lang = self.lang
        for name in ("marketing", "self_test", "tasks", "waiver", "p4p_home",
                     "help", "profiles", "scenarios", "events"):  # fmt: skip
            yield SystemCommand(
                i18n.t(f"cmd.{name}", lang),
                i18n.t("cmd.go.help", lang),
                lambda name=name: self.open_screen(name),
            )
        yield SystemCommand(
            i18n.t("cmd.popup", lang), i18n.t("help.popup", lang), self.show_popup
        )
        yield SystemCommand(i18n.t("cmd.lang", lang), "F2", self.action_switch_lang)
        yield SystemCommand(
            i18n.t("cmd.rule_trace", lang), "ctrl+t", self.action_rule_trace
        )
        if self.demo:
            yield SystemCommand(
                i18n.t("cmd.demo_reset", lang), "ctrl+r", self.action_demo_reset
            )
        yield SystemCommand(
            i18n.t("cmd.help_focused", lang), "F1", self.action_help_focused
        )
        yield from self.feed.commands()
        yield from super().get_system_commands(screen)

    async def action_quit(self) -> None:
        self.session.save()
        self.exit()

    def on_unmount(self) -> None:
        self.session.save()


class _ComingSoon(Screen):
    """Stands in for a screen another part of the team is still building."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.screen_name = name

    def compose(self):  # type: ignore[override]
        from textual.widgets import Footer, Static

        lang = self.app.lang  # type: ignore[attr-defined]
        yield Static(f"{self.screen_name}: {i18n.t('coming', lang)}", classes="coming")
        yield Footer()

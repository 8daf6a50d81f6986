"""Scenario picker: every file of content/scenarios/ by name and description,
in both languages. Choosing one opens the app at the state it reaches, in
demo mode (nothing saved) or on a new profile.

Also the session switching shared with demo mode: `use_session` puts a
session on screen, `restart_demo` (ctrl+r) takes a demo back to its start.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from app.core import i18n, yamlio
from app.core.errors import InputError
from app.core.rules import CONTENT_DIR
from app.core.session import Session
from app.tui.base import PlanModal, PlanScreen
from app.tui.widgets.status import TopBar

if TYPE_CHECKING:
    from app.tui.app import GrowthPlanApp

SCENARIO_DIR = CONTENT_DIR / "scenarios"
INDEX_FILE = "_index.yaml"

i18n.register(
    {
        "sc.title": {"en": "Scenarios", "zh": "场景"},
        "sc.hint": {
            "en": "Open the app at the state a scenario reaches. Enter or click "
            "to load one; you choose demo mode or a new profile next.",
            "zh": "让应用直接进入某个场景结束时的状态。按回车或点击加载，"
            "然后选择演示模式或新建档案。",
        },
        "sc.count": {
            "en": "{n} scenarios in {folder}",
            "zh": "{folder} 中共 {n} 个场景",
        },
        "sc.load.title": {"en": "Load scenario", "zh": "加载场景"},
        "sc.load.body": {
            "en": "Demo mode saves nothing and ctrl+r returns to this "
            "scenario's state. A new profile keeps the trainee's progress.",
            "zh": "演示模式不保存任何内容，按 ctrl+r 可回到该场景的状态。"
            "新建档案则会保存学员的进度。",
        },
        "sc.load.name": {"en": "New profile name", "zh": "新档案名称"},
        "sc.load.demo": {"en": "Demo (not saved)", "zh": "演示（不保存）"},
        "sc.load.profile": {"en": "New profile", "zh": "新建档案"},
        "sc.load.no_store": {
            "en": "⊘ No state folder in this session: only demo mode is possible.",
            "zh": "⊘ 本次运行没有存档文件夹，只能使用演示模式。",
        },
        "sc.loaded.demo": {
            "en": "Demo: {name}. Nothing is saved; ctrl+r restarts it.",
            "zh": "演示：{name}。不保存任何内容；按 ctrl+r 重新开始。",
        },
        "sc.loaded.profile": {
            "en": "Profile {profile} created at the state of: {name}.",
            "zh": "已按场景「{name}」新建档案 {profile}。",
        },
        "sc.failed": {"en": "Cannot load: {error}", "zh": "无法加载：{error}"},
        "demo.restarted": {
            "en": "Demo restarted: back at its start.",
            "zh": "演示已重新开始：回到起点。",
        },
        "key.load": {"en": "Load", "zh": "加载"},
        "key.demo": {"en": "Demo", "zh": "演示"},
        "key.new_profile": {"en": "New profile", "zh": "新建档案"},
        "help.scenarios.title": {"en": "Scenario picker", "zh": "场景选择"},
        "help.scenarios": {
            "en": "Each entry is a scenario file from content/scenarios/. Load one "
            "to put the app in that state in seconds: **ctrl+d** demo mode "
            "(nothing saved, **ctrl+r** restarts), or a name and **Enter** for "
            "a new profile. **ctrl+t** shows "
            "the rule trace. Headless: `growth-plan --scenario FILE [--demo]`.",
            "zh": "每一项是 content/scenarios/ 中的一个场景文件。加载后应用立即进入"
            "该状态：**ctrl+d** 演示模式（不保存，**ctrl+r** 重新开始），"
            "或输入名称后按 **回车** 新建档案。"
            "**ctrl+t** 显示规则追踪。命令行：`growth-plan --scenario FILE [--demo]`。",
        },
    }
)


@dataclass(frozen=True)
class ScenarioEntry:
    stem: str
    path: Path
    names: dict[str, str]
    descriptions: dict[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions["en"]


def scenario_files(folder: Path = SCENARIO_DIR) -> list[Path]:
    """Scenario files, by name; `_`-files (the index) are not scenarios."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def load_entries(folder: Path = SCENARIO_DIR) -> list[ScenarioEntry]:
    """Name and description of each file (English from the file itself,
    Chinese from `_index.yaml`). A file that cannot be read is still listed,
    by its file name: loading it then shows the one-line problem."""
    try:
        index = yamlio.load(folder / INDEX_FILE)
    except InputError:
        index = {}
    if not isinstance(index, dict):
        index = {}
    entries = []
    for path in scenario_files(folder):
        try:
            data = yamlio.load(path)
        except InputError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        zh = (index.get(path.stem) or {}).get("zh") or {}
        entries.append(
            ScenarioEntry(
                path.stem,
                path,
                {
                    "en": str(data.get("name") or path.stem),
                    "zh": str(zh.get("name") or ""),
                },
                {
                    "en": str(data.get("description") or ""),
                    "zh": str(zh.get("description") or ""),
                },
            )
        )
    return entries


# ------------------------------------------------------------- switching


def use_session(app: GrowthPlanApp, session: Session, demo: bool) -> None:
    """Put `session` on screen: the old one is saved and released, the
    screens go back to Marketing Center, everything refreshes."""
    old = app.session
    if old is not session:
        old.save()
        old.close()
    # Events carry the real time as well when the app runs for real.
    session.engine.real_clock = old.engine.real_clock
    app.session = session
    # Toasts about the old session (settlements, ads offline) no longer hold.
    app.clear_notifications()
    app.demo = demo
    app.demo_start = copy.deepcopy(session.payload()) if demo else None
    app.open_screen("marketing")
    app.changed()
    app.refresh_bindings()
    if app._auto_popup and session.engine.popup_shown_at is None:
        app.show_popup()


def restart_demo(app: GrowthPlanApp) -> None:
    """ctrl+r in demo mode: back to the state the demo started from."""
    if not app.demo or app.demo_start is None:
        return
    start = app.demo_start
    session = Session.from_payload(app.session.name, start, start.get("rules"))
    use_session(app, session, True)
    app.notify(i18n.t("demo.restarted", app.lang), timeout=3)


# ---------------------------------------------------------------- screens


class ScenarioPickerScreen(PlanScreen):
    """All scenario files; Enter or a click loads one."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("enter", "load", "Load", id="load", show=True),
        Binding("ctrl+t", "app.rule_trace", "Rule trace", id="rule_trace"),
    ]
    HELP_KEY = "scenarios"

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder or SCENARIO_DIR
        self.entries = load_entries(self.folder)
        self.highlighted = 0

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Vertical(id="sc-body"):
            yield Static(self.t("sc.title"), classes="screen-title")
            yield Static(self.t("sc.hint"), id="sc-hint")
            yield OptionList(*self._options(), id="sc-list")
            yield Static(
                self.t("sc.count", n=len(self.entries), folder=self._folder_name()),
                id="sc-count",
            )
        yield Footer()

    def _folder_name(self) -> str:
        try:
            return str(self.folder.relative_to(CONTENT_DIR.parent))
        except ValueError:
            return str(self.folder)

    def _options(self) -> list[Option]:
        options = []
        for entry in self.entries:
            prompt = Text.assemble(
                (entry.name(self.lang), "bold"),
                "\n",
                (entry.description(self.lang), "dim"),
            )
            options.append(Option(prompt, id=entry.stem))
        return options

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def refresh_view(self) -> None:
        """Language switches recompose; keep the highlighted entry."""
        options = self.query_one("#sc-list", OptionList)
        if self.entries:
            options.highlighted = min(self.highlighted, len(self.entries) - 1)
        options.focus()

    def on_option_list_option_highlighted(
        self, event: OptionList.OptionHighlighted
    ) -> None:
        self.highlighted = event.option_index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.highlighted = event.option_index
        self.action_load()

    def action_load(self) -> None:
        if not self.entries:
            return
        entry = self.entries[self.highlighted]
        self.app.push_screen(LoadScenarioModal(entry))


class LoadScenarioModal(PlanModal):
    """Demo mode or a new profile, for the chosen scenario."""

    BINDINGS = [
        Binding("escape", "dismiss", "Cancel", id="cancel"),
        Binding("ctrl+d", "demo", "Demo", id="demo"),
    ]
    HELP_KEY = "scenarios"

    def __init__(self, entry: ScenarioEntry) -> None:
        super().__init__()
        self.entry = entry
        self.profile_name = _default_name(entry.path)
        self.error = ""

    def compose(self) -> ComposeResult:
        can_save = self.plan_app.store is not None
        with Vertical(id="sc-load"):
            yield Static(self.t("sc.load.title"), id="sc-load-title")
            yield Static(Text(self.entry.name(self.lang), "bold"), id="sc-load-name")
            yield Static(self.t("sc.load.body"), id="sc-load-body")
            yield Static(self.t("sc.load.name"), classes="sc-label")
            yield Input(self.profile_name, id="sc-profile", disabled=not can_save)
            if not can_save:
                yield Static(self.t("sc.load.no_store"), id="sc-no-store")
            yield Static(self.error, id="sc-error")
            with Horizontal(id="sc-load-buttons"):
                yield Button(self.t("sc.load.demo"), id="sc-demo", variant="primary")
                yield Button(
                    self.t("sc.load.profile"), id="sc-new", disabled=not can_save
                )
                yield Button(self.t("cancel"), id="sc-cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sc-demo", Button).focus()

    def refresh_view(self) -> None:
        self.query_one("#sc-error", Static).update(self.error)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.profile_name = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_new_profile()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sc-demo":
            self.action_demo()
        elif event.button.id == "sc-new":
            self.action_new_profile()
        else:
            self.dismiss()

    def _build(self, name: str) -> Session | None:
        try:
            return Session.from_scenario(self.entry.path, name)
        except InputError as error:
            self._fail(str(error))
            return None

    def _fail(self, message: str) -> None:
        self.error = f"⚠ {message}"
        self.refresh_view()
        self.notify(self.t("sc.failed", error=message), severity="error")

    def action_demo(self) -> None:
        session = self._build(self.session.name if self.plan_app.demo else "demo")
        if session is None:
            return
        app = self.plan_app
        self.dismiss()
        use_session(app, session, True)
        app.notify(i18n.t("sc.loaded.demo", app.lang, name=self.entry.name(app.lang)))

    def action_new_profile(self) -> None:
        app = self.plan_app
        if app.store is None:
            return
        from app.core.store import valid_profile_name

        name = self.profile_name.strip()
        problem = valid_profile_name(name)
        if problem:
            self._fail(problem)
            return
        session = self._build(name)
        if session is None:
            return
        try:
            session.save_new(app.store)
        except InputError as error:
            self._fail(str(error))
            return
        self.dismiss()
        use_session(app, session, False)
        app.notify(
            i18n.t(
                "sc.loaded.profile",
                app.lang,
                profile=name,
                name=self.entry.name(app.lang),
            )
        )


def _default_name(path: Path) -> str:
    from app.commands.tui import scenario_profile_name

    return scenario_profile_name(path)

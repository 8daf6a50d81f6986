"""The simulated MA back office (MA 后台): the information display score
and the optimization suggestions that raise it (R7). Completing one adds
its gain, capped at the rule file's maximum; undo takes it back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, DataTable, Footer, Static

from app.core import i18n
from app.core import workspace as ws
from app.tui.base import PlanScreen
from app.tui.screens.tasks import ScreenCommands, meter
from app.tui.widgets.status import TopBar

i18n.register(
    {
        "cmd.bo_toggle": {
            "en": "Back office: complete / undo the highlighted suggestion",
            "zh": "后台：完成 / 撤销当前优化建议",
        },
        "bo.title": {
            "en": "MA back office · Information display score",
            "zh": "MA 后台 · 信息展示分",
        },
        "bo.col.state": {"en": "State", "zh": "状态"},
        "bo.col.title": {"en": "Optimization suggestion", "zh": "优化建议"},
        "bo.col.gain": {"en": "Gain", "zh": "加分"},
        "bo.done": {"en": "✓ Done", "zh": "✓ 已完成"},
        "bo.todo": {"en": "○ To do", "zh": "○ 待完成"},
        "bo.capped": {"en": "capped", "zh": "已封顶"},
        "bo.max": {
            "en": "Score range 0.0 to {max}; each completed suggestion adds its gain.",
            "zh": "分数范围 0.0 到 {max}；每完成一条建议即加上对应分数。",
        },
        "bo.toggle": {"en": "Complete / undo", "zh": "完成 / 撤销"},
        "bo.completed": {
            "en": "Completed: +{gain}. Score now {score}.",
            "zh": "已完成：+{gain}，当前分数 {score}。",
        },
        "bo.undone": {
            "en": "Undone: -{gain}. Score now {score}.",
            "zh": "已撤销：-{gain}，当前分数 {score}。",
        },
        "key.bo_toggle": {"en": "Complete/undo", "zh": "完成/撤销"},
        "help.back_office.title": {"en": "MA back office", "zh": "MA 后台"},
        "help.back_office": {
            "en": "The suggestions the system gives to raise your information "
            "display score (R7). Move with **↑ ↓**; **space**, **Enter** or a "
            "click completes the highlighted suggestion, or undoes it. The "
            "score cannot go above the maximum of the rule file. **Esc** goes "
            "back to the tasks.",
            "zh": "系统给出的提升信息展示分的优化建议（R7）。用 **↑ ↓** 移动；"
            "按 **空格**、**回车** 或点击即可完成所选建议，再按一次撤销。"
            "分数不会超过规则文件中的上限。按 **Esc** 返回新手任务。",
        },
    }
)


def points(hundredths: int) -> str:
    return f"{hundredths / 100:.1f}"


class BackOfficeScreen(PlanScreen):
    """Suggestions to complete, with the score at the top."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    HELP_KEY = "back_office"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("space", "toggle", "Complete/undo", id="bo_toggle"),
    ]
    COMMANDS = {ScreenCommands}

    def palette_commands(self) -> list[tuple[str, str]]:
        return [
            ("cmd.bo_toggle", "toggle"),
        ]

    def compose(self) -> ComposeResult:
        rules = self.engine.rules
        yield TopBar()
        yield Static(self.t("bo.title"), classes="screen-title")
        yield Static("", id="bo-meter", classes="tool-meter")
        yield Static(
            Text(self.t("bo.max", max=points(rules.info_score_max)), "dim"),
            classes="tool-note",
        )
        table: DataTable = DataTable(id="bo-table", cursor_type="row")
        table.add_column(self.t("bo.col.state"), key="state", width=12)
        table.add_column(self.t("bo.col.title"), key="title")
        table.add_column(self.t("bo.col.gain"), key="gain", width=14)
        catalog = ws.load_catalog()
        for suggestion in catalog.info_suggestions:
            table.add_row("", suggestion.title[self.lang], "", key=suggestion.id)
        yield table
        yield Static("", id="bo-detail", classes="tool-detail")
        yield Button(self.t("bo.toggle"), id="bo-toggle", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()
        self.query_one(DataTable).focus()

    def refresh_view(self) -> None:
        self.query_one("#bo-meter", Static).update(meter(self, "info_score"))
        done = ws.info_done(self.session.workspace)
        table = self.query_one(DataTable)
        for suggestion in ws.load_catalog().info_suggestions:
            applied = done.get(suggestion.id)
            gain = f"+{points(suggestion.gain)}"
            if applied is not None and applied < suggestion.gain:
                gain = f"+{points(applied)} ({self.t('bo.capped')})"
            state = self.t("bo.done" if applied is not None else "bo.todo")
            table.update_cell(suggestion.id, "state", state)
            table.update_cell(suggestion.id, "gain", gain)
        self._show_detail()

    def _current(self):
        table = self.query_one(DataTable)
        suggestions = ws.load_catalog().info_suggestions
        if not suggestions:
            return None
        return suggestions[min(table.cursor_row, len(suggestions) - 1)]

    def _show_detail(self) -> None:
        suggestion = self._current()
        text = suggestion.detail[self.lang] if suggestion else ""
        self.query_one("#bo-detail", Static).update(Text(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_toggle()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_toggle()

    def action_toggle(self) -> None:
        """Complete the highlighted suggestion, or undo it."""
        suggestion = self._current()
        if suggestion is None:
            return
        if suggestion.id in ws.info_done(self.session.workspace):
            gain = ws.undo_suggestion(self.session, suggestion.id)
            key = "bo.undone"
        else:
            gain = ws.complete_suggestion(self.session, suggestion)
            key = "bo.completed"
        self.plan_app.changed()
        score = points(self.engine.info_score)
        self.notify(self.t(key, gain=points(gain), score=score), timeout=3)

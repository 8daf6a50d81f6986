"""The rule trace panel (ctrl+t): every rule deciding the current state,
docked on the right of whatever screen is showing, updated live.

It only renders `app.core.trace.trace`; the logic lives (and is tested)
in the core. Once switched on it follows the user from screen to screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from app.core import i18n
from app.core.trace import TraceRow, trace
from app.tui.base import PlanMixin

if TYPE_CHECKING:
    from app.tui.app import GrowthPlanApp

i18n.register(
    {
        "trace.hint": {
            "en": "ctrl+t hides · updates live",
            "zh": "ctrl+t 隐藏 · 实时更新",
        },
        "help.rule_trace.title": {"en": "Rule trace", "zh": "规则追踪"},
        "help.rule_trace": {
            "en": "Each row is one rule of the plan as it stands now: its id "
            "(R1...R21), what the account has, what the rule needs, and ✓ met, "
            "✗ not met, ⊘ locked, ▶ running, ⚠ warning or – n/a. **ctrl+t** "
            "shows or hides the panel on every screen.",
            "zh": "每行是一条计划规则的当前判定：规则编号（R1…R21）、帐户当前值、"
            "规则要求，以及 ✓ 满足、✗ 不满足、⊘ 未解锁、▶ 进行中、⚠ 注意 或 "
            "– 不适用。**ctrl+t** 在任意页面显示或隐藏本面板。",
        },
    }
)

_STYLE = {
    "met": "green",
    "not_met": "red",
    "locked": "red",
    "running": "cyan",
    "warning": "yellow",
    "na": "dim",
}


def render_trace(rows: list[TraceRow], lang: str) -> Table:
    """A row a rule: id; label, value and need; symbol and word."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=3, no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, justify="left")
    needs = i18n.t("trace.needs", lang)
    for row in rows:
        table.add_row(
            Text(row.rule, "bold"),
            # Value and need each on a line of their own: on a narrow panel
            # "needs ≥" and "80" are never split, nor an amount cut.
            Text.assemble(
                (row.label, "bold"),
                "\n",
                row.value,
                "\n",
                (f"{needs} {row.required}", "dim"),
                overflow="fold",
            ),
            Text(f"{row.symbol} {row.word(lang)}", _STYLE[row.state]),
        )
    return table


class RuleTracePanel(PlanMixin, VerticalScroll):
    """Docked right; refreshes on every state change, tick and language."""

    HELP_KEY = "rule_trace"
    # Like Textual's own key and help panels: survives a screen's recompose
    # (the language switch) and takes no focus from the screen.
    DEFAULT_CLASSES = "-textual-system"

    plain = ""
    """The rows as plain text (for tests and screen readers)."""

    def compose(self) -> ComposeResult:
        yield Static(id="trace-hint")
        yield Static(id="trace-rows")

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self.update_rows)
        self.watch(self.app, "tick", self.update_rows, init=False)
        self.watch(self.app, "lang", self.update_rows, init=False)

    def update_rows(self) -> None:
        self.border_title = i18n.t("trace.title", self.lang)
        self.query_one("#trace-hint", Static).update(i18n.t("trace.hint", self.lang))
        rows = trace(self.engine, self.lang)
        self.plain = "\n".join(
            f"{r.rule} {r.label}: {r.value} ({r.required}) {r.symbol} "
            f"{r.word(self.lang)}"
            for r in rows
        )
        self.query_one("#trace-rows", Static).update(render_trace(rows, self.lang))


def _mount_on(app: GrowthPlanApp, screen) -> None:  # type: ignore[no-untyped-def]
    if not screen.query(RuleTracePanel):
        screen.mount(RuleTracePanel(id="rule-trace"))


def toggle_trace(app: GrowthPlanApp) -> None:
    """Show the panel on the current screen (and every screen shown after),
    or hide it everywhere."""
    app.trace_visible = not app.trace_visible
    if not getattr(app, "_trace_follows", False):
        app._trace_follows = True  # type: ignore[attr-defined]

        def follow(screen) -> None:  # type: ignore[no-untyped-def]
            if app.trace_visible:
                _mount_on(app, screen)

        app.screen_change_signal.subscribe(app, follow)
    if app.trace_visible:
        _mount_on(app, app.screen)
    else:
        for screen in app.screen_stack:
            for panel in screen.query(RuleTracePanel):
                panel.remove()

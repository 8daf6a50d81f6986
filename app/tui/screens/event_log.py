"""Event log viewer: what happened to the profile, newest first, with the
simulated time (Beijing) and the real time where the app recorded it,
filterable by kind. `x` exports the records into the exports folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Select, Static

from app.core import i18n, money, records, timeutil
from app.core.engine import Refusal
from app.core.errors import InputError
from app.tui.base import PlanScreen
from app.tui.widgets.status import TopBar

ALL = "all"
KINDS = tuple(records.EVENT_FIELDS)

i18n.register(
    {
        "ev.title": {"en": "Event log", "zh": "事件日志"},
        "ev.filter": {"en": "Kind", "zh": "类型"},
        "ev.all": {"en": "All kinds", "zh": "全部类型"},
        "ev.col.n": {"en": "#", "zh": "序号"},
        "ev.col.sim": {"en": "Simulated (Beijing)", "zh": "模拟时间（北京）"},
        "ev.col.real": {"en": "Real time", "zh": "实际时间"},
        "ev.col.kind": {"en": "Kind", "zh": "类型"},
        "ev.col.details": {"en": "Details", "zh": "详情"},
        "ev.count": {
            "en": "{shown} of {total} events · newest first · real time is the "
            "computer's clock when the app recorded it (- if not recorded)",
            "zh": "显示 {shown}/{total} 条 · 最新在前 · 实际时间为应用记录时的"
            "电脑时间（未记录为 -）",
        },
        "ev.kind.open_marketing_center": {"en": "popup shown", "zh": "弹窗出现"},
        "ev.kind.popup": {"en": "popup", "zh": "弹窗"},
        "ev.kind.self_test": {"en": "self-test", "zh": "新手自测"},
        "ev.kind.set_info_score": {"en": "info score", "zh": "信息展示分"},
        "ev.kind.add_products": {"en": "products", "zh": "推广产品"},
        "ev.kind.add_keywords": {"en": "keywords", "zh": "推广关键词"},
        "ev.kind.activate": {"en": "activate", "zh": "开启免单"},
        "ev.kind.spend": {"en": "spend", "zh": "消耗"},
        "ev.kind.top_up": {"en": "top-up", "zh": "充值"},
        "ev.kind.refusal": {"en": "refused", "zh": "被拒绝"},
        "ev.score": {"en": "score {score}", "zh": "{score} 分"},
        "ev.merged": {"en": " ({n} merged)", "zh": "（合并 {n} 笔）"},
        "ev.top_up": {
            "en": "cash {cash}, red packet {red_packet}, coupons {coupons}",
            "zh": "现金 {cash}，红包 {red_packet}，卡券 {coupons}",
        },
        "ev.exported": {
            "en": "Exported to {folder}: {files}",
            "zh": "已导出到 {folder}：{files}",
        },
        "ev.export_failed": {"en": "Export failed: {error}", "zh": "导出失败：{error}"},
        "key.export": {"en": "Export", "zh": "导出"},
        "key.export.tip": {
            "en": "Ledger CSV, event log JSONL and trainee report",
            "zh": "台账 CSV、事件日志 JSONL 和学员报告",
        },
        "help.events.title": {"en": "Event log", "zh": "事件日志"},
        "help.events": {
            "en": "Every recorded event of this profile, newest first. The "
            "simulated time is Beijing time; the real time is when it happened "
            "on this computer, where the app recorded it. Spend of a settled "
            "window is merged into one line. Choose a kind to filter. **x** "
            "writes the ledger (CSV), the event log (JSONL, which `growth-plan "
            "import` reads back) and the trainee report (Markdown) into the "
            "exports folder. **ctrl+t** shows the rule trace.",
            "zh": "本档案记录的所有事件，最新在前。模拟时间为北京时间；实际时间为"
            "应用在本机记录的时间。已结算窗口的消耗合并为一行。可按类型筛选。"
            "**x** 将台账（CSV）、事件日志（JSONL，可用 `growth-plan import` "
            "导入）和学员报告（Markdown）写入导出文件夹。**ctrl+t** 显示规则追踪。",
        },
    }
)


def event_details(event: dict[str, Any], lang: str) -> str:
    """One line saying what the event did, in `lang`."""
    kind = event.get("kind")
    if kind == "self_test":
        return i18n.t("ev.score", lang, score=event.get("score"))
    if kind == "set_info_score":
        return f"{event.get('value', 0) / 100:.1f}"
    if kind in ("add_products", "add_keywords"):
        return f"{event.get('count', 0):+d}"
    if kind == "spend":
        text = money.fmt_grouped(event.get("fen", 0))
        if event.get("merged"):
            text += i18n.t("ev.merged", lang, n=event["merged"])
        return text
    if kind == "top_up":
        return i18n.t(
            "ev.top_up",
            lang,
            **{
                key: money.fmt_grouped(event.get(key, 0))
                for key in ("cash", "red_packet", "coupons")
            },
        )
    if kind == "refusal":
        refusal = Refusal(event.get("code", ""), event.get("at", 0))
        refusal.values = dict(event.get("values") or {})
        return f"{refusal.code}: {refusal.message(lang)}"
    return ""


def real_time(event: dict[str, Any]) -> str:
    real = event.get("real")
    if not isinstance(real, int) or isinstance(real, bool):
        return "-"
    return datetime.fromtimestamp(real).strftime("%Y-%m-%d %H:%M:%S")


class EventLogScreen(PlanScreen):
    """The profile's events as a table, newest first."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("x", "export", "Export", id="export"),
        Binding("ctrl+t", "app.rule_trace", "Rule trace", id="rule_trace"),
    ]
    HELP_KEY = "events"

    def __init__(self, export_dir: Path | None = None) -> None:
        super().__init__()
        self.kind = ALL
        self.export_dir = export_dir
        self._shown_for: tuple[int, str, str] | None = None

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Vertical(id="ev-body"):
            yield Static(self.t("ev.title"), classes="screen-title")
            with Horizontal(id="ev-filter"):
                yield Static(self.t("ev.filter"), id="ev-filter-label")
                yield Select(
                    [(self.t("ev.all"), ALL)]
                    + [(self.t(f"ev.kind.{kind}"), kind) for kind in KINDS],
                    value=self.kind,
                    allow_blank=False,
                    id="ev-kind",
                )
            yield DataTable(id="ev-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="ev-count")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#ev-table", DataTable)
        for key in ("n", "sim", "real", "kind", "details"):
            table.add_column(self.t(f"ev.col.{key}"), key=key)
        self.watch(self.app, "tick", self._on_tick, init=False)
        self.refresh_view()
        table.focus()

    def _on_tick(self) -> None:
        if self._shown_for != self._signature():
            self.refresh_view()

    def _signature(self) -> tuple[int, str, str]:
        return (len(self.engine.events), self.kind, self.lang)

    def refresh_view(self) -> None:
        """Rebuild the rows (the log is small: spend merges per window)."""
        table = self.query_one("#ev-table", DataTable)
        if not table.columns:
            return  # recomposed; on_mount adds the columns and comes back
        table.clear()
        events = self.engine.events
        shown = 0
        for number in range(len(events), 0, -1):
            event = events[number - 1]
            if self.kind != ALL and event.get("kind") != self.kind:
                continue
            shown += 1
            table.add_row(
                str(number),
                timeutil.show(event["at"], seconds=True),
                real_time(event),
                self.t(f"ev.kind.{event.get('kind')}"),
                event_details(event, self.lang),
            )
        self.query_one("#ev-count", Static).update(
            self.t("ev.count", shown=shown, total=len(events))
        )
        self._shown_for = self._signature()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "ev-kind" and isinstance(event.value, str):
            self.kind = event.value
            self.refresh_view()

    # ------------------------------------------------------------- export

    def folder(self) -> Path:
        if self.export_dir is not None:
            return self.export_dir
        store = self.plan_app.store
        if store is not None:
            return store.state_dir / "exports"
        from app.core.store import default_state_dir

        return default_state_dir() / "exports"

    def action_export(self) -> None:
        folder = self.folder()
        moment = datetime.now()
        written = []
        try:
            for fmt in records.FORMATS:
                text = records.export_text(self.session, fmt, self.lang)
                name = records.export_name(self.session.name, fmt, moment)
                records.write_text(folder / name, text)
                written.append(name)
        except InputError as error:
            self.notify(
                self.t("ev.export_failed", error=error), severity="error", timeout=10
            )
            return
        self.notify(
            self.t("ev.exported", folder=folder, files=", ".join(written)),
            timeout=10,
        )

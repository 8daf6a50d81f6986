"""Products in promotion (R8): the simulated catalog from `content/`, with
search, and promote / un-promote on each row. The count moves the engine's
live number, so the checklist re-judges at once (R11)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static

from app.core import i18n
from app.core import workspace as ws
from app.tui.base import PlanScreen
from app.tui.screens.tasks import ScreenCommands, meter
from app.tui.widgets.status import TopBar

i18n.register(
    {
        "cmd.pp_toggle": {
            "en": "Products: promote / un-promote the highlighted product",
            "zh": "产品：推广 / 取消推广当前产品",
        },
        "cmd.pp_search": {"en": "Products: search", "zh": "产品：搜索"},
        "pp.title": {"en": "P4P · Products in promotion", "zh": "直通车 · 推广中产品"},
        "pp.search": {
            "en": "Search by name, category or id (/)",
            "zh": "按名称、类目或编号搜索（/）",
        },
        "pp.col.state": {"en": "State", "zh": "状态"},
        "pp.col.id": {"en": "Id", "zh": "编号"},
        "pp.col.name": {"en": "Product", "zh": "产品"},
        "pp.col.category": {"en": "Category", "zh": "类目"},
        "pp.col.keywords": {"en": "Keywords", "zh": "关键词"},
        "pp.on": {"en": "✓ Promoted", "zh": "✓ 推广中"},
        "pp.off": {"en": "○ Not promoted", "zh": "○ 未推广"},
        "pp.shown": {
            "en": "{shown} of {total} products shown · space or Enter: "
            "promote / un-promote",
            "zh": "显示 {shown}/{total} 个产品 · 空格或回车：推广 / 取消推广",
        },
        "pp.none": {"en": "No product matches.", "zh": "没有匹配的产品。"},
        "key.pp_toggle": {"en": "Promote/remove", "zh": "推广/取消"},
        "key.pp_search": {"en": "Search", "zh": "搜索"},
        "help.product_picker.title": {
            "en": "Products in promotion",
            "zh": "推广中产品",
        },
        "help.product_picker": {
            "en": "The catalog of your store. **space**, **Enter** or a click "
            "promotes the highlighted product, or takes it out of promotion. "
            "**/** jumps to the search box; **Enter** there goes back to the "
            "list. The count against the bar (R8) is live: taking products "
            "out before activation un-meets the task (R11).",
            "zh": "店铺的产品目录。按 **空格**、**回车** 或点击，推广所选产品，"
            "或取消推广。按 **/** 跳到搜索框，在搜索框中按 **回车** 回到列表。"
            "数量与达标线（R8）实时对比：开启免单前取消推广，任务会重新变为未达标（R11）。",
        },
    }
)


class ProductPickerScreen(PlanScreen):
    """The catalog in a table, filtered by the search box."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    HELP_KEY = "product_picker"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("space", "toggle", "Promote/remove", id="pp_toggle"),
        Binding("slash", "search", "Search", id="pp_search", key_display="/"),
    ]
    COMMANDS = {ScreenCommands}

    def palette_commands(self) -> list[tuple[str, str]]:
        return [
            ("cmd.pp_toggle", "toggle"),
            ("cmd.pp_search", "search"),
        ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.catalog = ws.load_catalog()

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(self.t("pp.title"), classes="screen-title")
        yield Static("", id="pp-meter", classes="tool-meter")
        yield Input(self.query_text, placeholder=self.t("pp.search"), id="pp-search")
        table: DataTable = DataTable(id="pp-table", cursor_type="row")
        table.add_column(self.t("pp.col.state"), key="state", width=15)
        table.add_column(self.t("pp.col.id"), key="id", width=5)
        table.add_column(self.t("pp.col.name"), key="name")
        table.add_column(self.t("pp.col.category"), key="category")
        table.add_column(self.t("pp.col.keywords"), key="keywords", width=8)
        yield table
        yield Static("", id="pp-count", classes="tool-note")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        ws.reconcile(self.session, self.catalog)
        self._fill()
        self.refresh_view()
        self.query_one(DataTable).focus()

    def _matches(self) -> list:
        needle = self.query_text.strip().lower()
        if not needle:
            return list(self.catalog.products)
        return [
            p
            for p in self.catalog.products
            if needle in p.id.lower()
            or any(needle in text.lower() for text in p.name.values())
            or any(needle in text.lower() for text in p.category.values())
        ]

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        lang = self.lang
        for product in self._matches():
            table.add_row(
                "",
                product.id,
                product.name[lang],
                product.category[lang],
                str(len(product.keywords)),
                key=product.id,
            )
        shown = table.row_count
        total = len(self.catalog.products)
        note = self.t("pp.shown", shown=shown, total=total) if shown else ""
        self.query_one("#pp-count", Static).update(
            Text(note or self.t("pp.none"), "dim")
        )

    def refresh_view(self) -> None:
        self.query_one("#pp-meter", Static).update(meter(self, "products"))
        promoted = set(ws.promoted_products(self.session.workspace))
        table = self.query_one(DataTable)
        for row_key in list(table.rows):
            on = row_key.value in promoted
            table.update_cell(row_key, "state", self.t("pp.on" if on else "pp.off"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._fill()
        self.refresh_view()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._toggle(event.row_key.value)

    def action_toggle(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self._toggle(row_key.value)

    def _toggle(self, product_id: str | None) -> None:
        if product_id is None:
            return
        on = product_id not in ws.promoted_products(self.session.workspace)
        ws.set_promoted(self.session, product_id, on)
        self.plan_app.changed()

    def action_search(self) -> None:
        self.query_one(Input).focus()

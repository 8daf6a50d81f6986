"""Keywords in promotion (R9): suggestions from the keywords of the
promoted products, added many at once, and the keywords in promotion,
removed many at once. The count moves the engine's live number (R11)."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.strip import Strip
from textual.widgets import Button, Footer, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist

from app.core import i18n, money
from app.core import workspace as ws
from app.tui.base import PlanScreen
from app.tui.screens.tasks import ScreenCommands, meter
from app.tui.widgets.status import TopBar

i18n.register(
    {
        "cmd.kw_add": {
            "en": "Keywords: add the selected suggestions",
            "zh": "关键词：添加所选推荐词",
        },
        "cmd.kw_all": {
            "en": "Keywords: select every suggestion",
            "zh": "关键词：全选推荐词",
        },
        "cmd.kw_remove": {
            "en": "Keywords: remove the selected keywords",
            "zh": "关键词：删除所选关键词",
        },
        "kw.title": {"en": "P4P · Keyword tool", "zh": "直通车 · 关键词工具"},
        "kw.suggested": {
            "en": "Suggested from promoted products ({count})",
            "zh": "根据推广中产品推荐（{count}）",
        },
        "kw.promoted": {"en": "In promotion ({count})", "zh": "推广中（{count}）"},
        "kw.add": {"en": "Add selected", "zh": "添加所选"},
        "kw.all": {"en": "Select all", "zh": "全选"},
        "kw.remove": {"en": "Remove selected", "zh": "删除所选"},
        "kw.no_products": {
            "en": "Promote products first: suggestions come from their keywords.",
            "zh": "请先推广产品：推荐词来自推广中产品的关键词。",
        },
        "kw.all_added": {
            "en": "Every keyword of your promoted products is in promotion: "
            "promote more products for more suggestions.",
            "zh": "推广中产品的关键词已全部在推广：推广更多产品可获得更多推荐词。",
        },
        "kw.bid": {"en": "bid", "zh": "出价"},
        "kw.added": {
            "en": "{count} keyword(s) added.",
            "zh": "已添加 {count} 个关键词。",
        },
        "kw.removed": {
            "en": "{count} keyword(s) removed.",
            "zh": "已删除 {count} 个关键词。",
        },
        "kw.none_selected": {
            "en": "Nothing selected: press space on a keyword to select it.",
            "zh": "尚未选择：在关键词上按空格即可选中。",
        },
        "key.kw_add": {"en": "Add selected", "zh": "添加所选"},
        "key.kw_all": {"en": "Select all", "zh": "全选"},
        "key.kw_remove": {"en": "Remove selected", "zh": "删除所选"},
        "help.keyword_tool.title": {"en": "Keyword tool", "zh": "关键词工具"},
        "help.keyword_tool": {
            "en": "Left: keywords of the products you promote that are not in "
            "promotion yet. Right: the keywords in promotion. **space** or a "
            "click selects, **Tab** switches list. **a** adds the selected "
            "suggestions, **\\*** selects every suggestion, **x** removes the "
            "selected keywords. The count against the bar (R9) is live (R11).",
            "zh": "左侧：推广中产品的关键词里尚未推广的词；右侧：推广中的关键词。"
            "按 **空格** 或点击选择，按 **Tab** 切换列表。**a** 添加所选推荐词，"
            "**\\*** 全选推荐词，**x** 删除所选关键词。"
            "数量与达标线（R9）实时对比（R11）。",
        },
    }
)


class MarkedSelectionList(SelectionList[str]):
    """A SelectionList whose check box shows ✓ when selected, not only a colour."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 4:
            return line
        try:
            value = self.get_option_at_index(self.scroll_offset.y + y).value
        except OptionDoesNotExist:  # past the last option
            return line
        inner = segments[1]
        mark = "✓" if value in self._selected else " "
        segments[1] = Segment(mark, inner.style, inner.control)
        return Strip(segments, line.cell_length)


class KeywordToolScreen(PlanScreen):
    """Two selection lists: suggestions to add, keywords to remove."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    HELP_KEY = "keyword_tool"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("a", "add", "Add selected", id="kw_add"),
        Binding("asterisk", "select_all", "Select all", id="kw_all", key_display="*"),
        Binding("x", "remove", "Remove selected", id="kw_remove"),
    ]
    COMMANDS = {ScreenCommands}

    def palette_commands(self) -> list[tuple[str, str]]:
        return [
            ("cmd.kw_add", "add"),
            ("cmd.kw_all", "select_all"),
            ("cmd.kw_remove", "remove"),
        ]

    def __init__(self) -> None:
        super().__init__()
        self.catalog = ws.load_catalog()

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(self.t("kw.title"), classes="screen-title")
        yield Static("", id="kw-meter", classes="tool-meter")
        with Horizontal(id="kw-lists"):
            with Vertical(id="kw-left", classes="kw-side"):
                yield MarkedSelectionList(id="kw-suggested")
                yield Static("", id="kw-empty", classes="tool-note")
                with Horizontal(classes="kw-buttons"):
                    yield Button(f"{self.t('kw.add')} (0)", id="kw-add", compact=True)
                    yield Button(self.t("kw.all"), id="kw-all", compact=True)
            with Vertical(id="kw-right", classes="kw-side"):
                yield MarkedSelectionList(id="kw-promoted")
                with Horizontal(classes="kw-buttons"):
                    yield Button(
                        f"{self.t('kw.remove')} (0)", id="kw-remove", compact=True
                    )
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        # Tab moves between the two lists (keys a, * and x press the buttons).
        for button in self.query(Button):
            button.can_focus = False
        ws.reconcile(self.session, self.catalog)
        self.refresh_view()
        self.query_one("#kw-suggested").focus()

    def _label(self, keyword) -> Text:
        return Text.assemble(
            keyword.text(self.lang),
            (f"  {self.t('kw.bid')} ¥{money.fmt(keyword.bid)}", "dim"),
        )

    def refresh_view(self) -> None:
        workspace = self.session.workspace
        self.query_one("#kw-meter", Static).update(meter(self, "keywords"))
        suggestions = ws.keyword_suggestions(self.catalog, workspace)
        words = ws.all_keywords(self.catalog)
        promoted = [words[kid] for kid in ws.promoted_keywords(workspace)]
        self._fill("#kw-suggested", suggestions, "kw.suggested")
        self._fill("#kw-promoted", promoted, "kw.promoted")
        empty = self.query_one("#kw-empty", Static)
        no_products = not ws.promoted_products(workspace)
        empty.display = no_products or not suggestions
        note = "kw.no_products" if no_products else "kw.all_added"
        empty.update(Text(self.t(note), "dim"))
        self._count_labels()  # clearing a list sends no SelectedChanged

    def _fill(self, selector: str, keywords: list, title: str) -> None:
        box: SelectionList[str] = self.query_one(selector, SelectionList)
        box.border_title = self.t(title, count=len(keywords))
        wanted = [ws.keyword_id(k) for k in keywords]
        if [box.get_option_at_index(n).value for n in range(box.option_count)] == (
            wanted
        ):
            return
        kept = set(box.selected) & set(wanted)
        highlighted = box.highlighted
        box.clear_options()
        box.add_options(
            [(self._label(k), ws.keyword_id(k), ws.keyword_id(k) in kept)
             for k in keywords]
        )  # fmt: skip
        if box.option_count:
            box.highlighted = min(highlighted or 0, box.option_count - 1)

    def on_selection_list_selected_changed(
        self, event: SelectionList.SelectedChanged
    ) -> None:
        self._count_labels()

    def _count_labels(self) -> None:
        """Say how many are selected in words, not only by colour."""
        add = len(self.query_one("#kw-suggested", SelectionList).selected)
        remove = len(self.query_one("#kw-promoted", SelectionList).selected)
        self.query_one("#kw-add", Button).label = f"{self.t('kw.add')} ({add})"
        self.query_one("#kw-remove", Button).label = f"{self.t('kw.remove')} ({remove})"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "kw-add": self.action_add,
            "kw-all": self.action_select_all,
            "kw-remove": self.action_remove,
        }
        actions[event.button.id or ""]()

    def action_add(self) -> None:
        box = self.query_one("#kw-suggested", SelectionList)
        if not box.selected:
            self.notify(self.t("kw.none_selected"), severity="warning", timeout=3)
            return
        count = ws.add_keywords(self.session, list(box.selected))
        self.plan_app.changed()
        self.notify(self.t("kw.added", count=count), timeout=3)

    def action_select_all(self) -> None:
        self.query_one("#kw-suggested", SelectionList).select_all()

    def action_remove(self) -> None:
        box = self.query_one("#kw-promoted", SelectionList)
        if not box.selected:
            self.notify(self.t("kw.none_selected"), severity="warning", timeout=3)
            return
        count = ws.remove_keywords(self.session, list(box.selected))
        self.plan_app.changed()
        self.notify(self.t("kw.removed", count=count), timeout=3)

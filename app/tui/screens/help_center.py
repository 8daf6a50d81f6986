"""Help Center (帮助中心): the task guide (the newcomer popup's content, and
the way back to it, R6), the FAQ, the glossary and the lessons, all in the
current language and read from `content/` each time the screen is built."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Markdown,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)

from app.core import content, i18n
from app.core.errors import InputError
from app.tui.base import PlanScreen
from app.tui.screens import popup  # registers the guide's text
from app.tui.widgets.status import StatusBanner, TopBar

i18n.register(
    {
        "hc.title": {"en": "Help Center", "zh": "帮助中心"},
        "hc.guide": {"en": "Task guide", "zh": "任务引导"},
        "hc.faq": {"en": "FAQ", "zh": "常见问题"},
        "hc.glossary": {"en": "Glossary", "zh": "术语表"},
        "hc.lessons": {"en": "Lessons", "zh": "课程"},
        "hc.reopen": {"en": "Open the newcomer guide", "zh": "打开新手引导"},
        "hc.col.zh": {"en": "Chinese", "zh": "中文"},
        "hc.col.en": {"en": "English", "zh": "英文"},
        "hc.col.note": {"en": "Note", "zh": "说明"},
        "hc.faq.rules": {"en": "Rules", "zh": "规则"},
        "hc.faq.lesson": {"en": "Lesson", "zh": "课程"},
        "hc.broken": {
            "en": "⚠ This content could not be read: {error}",
            "zh": "⚠ 无法读取此内容：{error}",
        },
        "key.tab_guide": {"en": "Guide", "zh": "引导"},
        "key.tab_faq": {"en": "FAQ", "zh": "问答"},
        "key.tab_glossary": {"en": "Glossary", "zh": "术语"},
        "key.tab_lessons": {"en": "Lessons", "zh": "课程"},
        "key.reopen_guide": {"en": "Newcomer guide", "zh": "新手引导"},
        "help.help_center.title": {"en": "Help Center", "zh": "帮助中心"},
        "help.help_center": {
            "en": "**t** Task guide: the newcomer popup's text; **o** opens "
            "the popup again (R6). **f** FAQ, **g** Glossary (Chinese, "
            "English, note; the selected term's note shows in full below), "
            "**l** Lessons (pick one on the left). **F2** switches the "
            "language; **Esc** goes back.",
            "zh": "**t** 任务引导：新手弹窗的内容；**o** 再次打开弹窗（R6）。"
            "**f** 常见问题，**g** 术语表（中文、英文、说明；所选术语的说明在下方"
            "完整显示），**l** 课程（在左侧选择）。**F2** 切换语言；**Esc** 返回。",
        },
    }
)

TABS = ("guide", "faq", "glossary", "lessons")


class HelpCenterScreen(PlanScreen):
    """Four tabs; the open tab and lesson survive a language switch."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("t", "tab('guide')", "Guide", id="tab_guide"),
        Binding("f", "tab('faq')", "FAQ", id="tab_faq"),
        Binding("g", "tab('glossary')", "Glossary", id="tab_glossary"),
        Binding("l", "tab('lessons')", "Lessons", id="tab_lessons"),
        Binding("o", "reopen_guide", "Newcomer guide", id="reopen_guide"),
    ]
    HELP_KEY = "help_center"

    def __init__(self, tab: str = "guide") -> None:
        super().__init__()
        self.tab = tab if tab in TABS else "guide"
        """The open tab."""
        self.lesson = 0
        """Index of the lesson shown in the Lessons tab."""
        self.term = 0
        """Row of the glossary term whose note shows in full."""

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(self.t("hc.title"), classes="screen-title")
        with TabbedContent(initial=f"hc-{self.tab}", id="hc-tabs"):
            with TabPane(self.t("hc.guide"), id="hc-guide"):
                yield from self._guide()
            with (
                TabPane(self.t("hc.faq"), id="hc-faq"),
                VerticalScroll(classes="hc-scroll"),
            ):
                yield self._faq()
            with TabPane(self.t("hc.glossary"), id="hc-glossary"):
                yield from self._glossary()
            with TabPane(self.t("hc.lessons"), id="hc-lessons"):
                yield from self._lessons()
        yield Footer()

    def refresh_view(self) -> None:
        """Only the guide's status depends on the session; the banner
        refreshes itself, so there is nothing to rebuild here."""

    # ------------------------------------------------------------ the tabs

    def _guide(self) -> ComposeResult:
        rules = self.engine.rules
        with VerticalScroll(classes="hc-scroll"):
            yield StatusBanner()
            yield Static(self.t("popup.title"), classes="hc-heading")
            yield Markdown(
                self.t(
                    "popup.body",
                    pass_mark=rules.pass_mark,
                    products=rules.products_required,
                    keywords=rules.keywords_required,
                    days=rules.deadline_days,
                )
            )
            yield Button(self.t("hc.reopen"), id="hc-reopen", variant="primary")

    def _faq(self) -> Markdown | Static:
        try:
            entries = content.load_faq()
        except InputError as error:
            return self._broken(error)
        lang = self.lang
        parts = []
        for entry in entries:
            rules = ", ".join(entry.rules) or "—"
            parts.append(
                f"### {entry.q[lang]}\n\n{entry.a[lang]}\n\n"
                f"*{self.t('hc.faq.rules')}: {rules} · "
                f"{self.t('hc.faq.lesson')}: {entry.lesson}*\n"
            )
        return Markdown("\n".join(parts), id="hc-faq-text")

    def _glossary(self) -> ComposeResult:
        try:
            terms = content.load_glossary()
        except InputError as error:
            yield self._broken(error)
            return
        self.terms = terms
        table: DataTable[str] = DataTable(id="hc-terms", cursor_type="row")
        table.add_column(self.t("hc.col.zh"), key="zh")
        table.add_column(self.t("hc.col.en"), key="en")
        table.add_column(self.t("hc.col.note"), key="note")
        for term in terms:
            # The table shows the start of each note; the whole note of the
            # selected term is shown under it, wrapped.
            table.add_row(term.zh, term.en, _clip(term.note[self.lang], 30))
        yield table
        yield Static(id="hc-term-note")

    def _lessons(self) -> ComposeResult:
        try:
            lessons = content.load_lessons(None, self.lang)
        except InputError as error:
            yield self._broken(error)
            return
        self.lessons = lessons
        self.lesson = min(self.lesson, len(lessons) - 1)
        with Horizontal():
            titles = OptionList(*(lesson.title for lesson in lessons), id="hc-list")
            titles.highlighted = self.lesson
            yield titles
            with VerticalScroll(id="hc-lesson", classes="hc-scroll"):
                yield Markdown(self._lesson_text(), id="hc-lesson-text")

    def _lesson_text(self) -> str:
        lesson = self.lessons[self.lesson]
        rules = self.engine.rules
        parts = [f"# {lesson.title}"]
        if lesson.intro:
            parts.append(lesson.intro)
        for section in lesson.sections:
            parts.append(f"## {section.heading}")
            parts.append(section.markdown)
        # Worked numbers come from the engine under the rule file in use; a
        # broken placeholder shows its error and leaves the rest readable.
        return content.render_calc("\n\n".join(parts), rules, strict=False)

    def _broken(self, error: Exception) -> Static:
        return Static(Text(self.t("hc.broken", error=error)), classes="hc-broken")

    # -------------------------------------------------------------- events

    def on_mount(self) -> None:
        super().on_mount()
        self._show_term()

    def on_tabbed_content_tab_activated(
        self, event: TabbedContent.TabActivated
    ) -> None:
        self.tab = (event.pane.id or "hc-guide").removeprefix("hc-")

    def on_option_list_option_highlighted(
        self, event: OptionList.OptionHighlighted
    ) -> None:
        if event.option_index == self.lesson:
            return
        self.lesson = event.option_index
        self.query_one("#hc-lesson-text", Markdown).update(self._lesson_text())
        self.query_one("#hc-lesson", VerticalScroll).scroll_home(animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.term = event.cursor_row
        self._show_term()

    def _show_term(self) -> None:
        terms: list[Any] = getattr(self, "terms", [])
        notes = self.query("#hc-term-note")
        if not terms or not notes:
            return
        term = terms[min(self.term, len(terms) - 1)]
        text = Text.assemble(
            (f"{term.zh} · {term.en}", "bold"), "\n", term.note[self.lang]
        )
        notes.first(Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "hc-reopen":
            self.action_reopen_guide()

    def action_tab(self, tab: str) -> None:
        self.tab = tab
        self.query_one(TabbedContent).active = f"hc-{tab}"

    def action_reopen_guide(self) -> None:
        """R6: the popup closed earlier opens again from here."""
        self.plan_app.show_popup()


def _clip(text: str, cells: int) -> str:
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > cells - 1:
            break
        out += char
    return out + "…"


__all__ = ["HelpCenterScreen", "popup"]

"""The side panel of the self-test: the lesson section that teaches the
current question and, on request, its answer with the explanation (R4: the
trainee may look both up at any time)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from app.core import content, i18n
from app.core.errors import InputError
from app.tui.base import PlanMixin

i18n.register(
    {
        "lesson.title": {"en": "Lesson", "zh": "课程"},
        "lesson.missing": {
            "en": "The lesson section {link} cannot be shown: {error}",
            "zh": "无法显示课程章节 {link}：{error}",
        },
        "lesson.answer": {"en": "Answer", "zh": "答案"},
        "lesson.why": {"en": "Why", "zh": "解析"},
        "lesson.hint": {
            "en": "Press **v** to see the answer of this question.",
            "zh": "按 **v** 查看本题答案。",
        },
        "help.lesson_panel.title": {"en": "Lesson panel", "zh": "课程面板"},
        "help.lesson_panel": {
            "en": "The lesson section that teaches the current question. Open "
            "or close it with **l**; **v** shows or hides the answer with its "
            "explanation. Looking things up is allowed at any time during the "
            "self-test (R4).",
            "zh": "显示讲解当前题目的课程章节。按 **l** 打开或关闭；按 **v** "
            "显示或隐藏答案及解析。自测过程中可随时查看课程和答案（R4）。",
        },
    }
)


def section_markdown(link: str, lang: str, rules) -> str:
    """The section as Markdown with its heading and the calc placeholders
    worked out; a broken link or placeholder shows as a line of text."""
    try:
        found = content.section(link, lang, rules=rules)
        body = found.markdown
    except InputError:
        try:
            found = content.section(link, lang)
            body = content.render_calc(found.markdown, rules, strict=False)
        except InputError as error:
            return i18n.t("lesson.missing", lang, link=link, error=error)
    return f"## {found.heading}\n\n{body}"


class LessonPanel(PlanMixin, VerticalScroll):
    """Shows one lesson section and, if asked, an answer below it."""

    HELP_KEY = "lesson_panel"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache: dict[tuple[str, str], str] = {}
        self._shown: tuple[str, str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Markdown("", id="lesson-body")

    def show(self, link: str, answer: str | None) -> None:
        """Show the section `link`; `answer` is Markdown, or None to hide."""
        lang = self.lang
        self.border_title = f"{self.t('lesson.title')} · {link}"
        key = (link, lang)
        if key not in self._cache:
            self._cache[key] = section_markdown(link, lang, self.engine.rules)
        tail = answer if answer is not None else self.t("lesson.hint")
        text = f"{self._cache[key]}\n\n---\n\n{tail}"
        if self._shown == (link, lang, text):
            return
        moved = self._shown is None or self._shown[:2] != (link, lang)
        self._shown = (link, lang, text)
        self.query_one("#lesson-body", Markdown).update(text)
        if moved:
            self.scroll_home(animate=False)
        elif answer is not None:
            self.call_after_refresh(self.scroll_end, animate=False)

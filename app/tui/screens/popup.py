"""The newcomer popup (新手成长): opens by itself on the first visit to
Marketing Center (R3) and can be reopened from Help Center (R6)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from app.core import i18n
from app.tui.base import PlanModal
from app.tui.widgets.status import StatusBanner

i18n.register(
    {
        "popup.title": {"en": "Newcomer growth", "zh": "新手成长"},
        "popup.body": {
            "en": "Welcome to P4P. Three steps, strictly in order, make your "
            "first promotion free up to a daily cap:\n\n"
            "1. **Self-test**: score {pass_mark} or more. Lessons and answers "
            "are open while you answer.\n"
            "2. **Tasks**: information display score, {products} products "
            "and {keywords} keywords in promotion.\n"
            "3. **Spend waiver**: activate it within {days} days of your P4P "
            "payment; spend up to the cap is waived each day.",
            "zh": "欢迎使用外贸直通车。"
            "按顺序完成三步，即可在每日免单上限内免费推广：\n\n"
            "1. **新手自测**：得分达到 {pass_mark} 分及以上，"
            "答题时可随时查看课程和答案。\n"
            "2. **新手任务**：信息展示分达标、推广中产品达到 {products} 个、"
            "推广中关键词达到 {keywords} 个。\n"
            "3. **新手免单**：在直通车到款之日起 {days} 天内开启，"
            "每日上限内的消耗全部免单。",
        },
        "popup.start": {"en": "Start self-test", "zh": "开始自测"},
        "popup.later": {"en": "Later", "zh": "稍后再说"},
    }
)


def bold_only(markdown: str) -> Text:
    """The popup's text with its **bold** parts, without the Markdown
    widget: importing it (markdown-it, pygments) costs a quarter of the
    app's start-up, and this text needs nothing else."""
    text = Text()
    for position, part in enumerate(markdown.split("**")):
        text.append(part, style="bold" if position % 2 else "")
    return text


class NewcomerPopup(PlanModal):
    """The guide, with the status and a button into the self-test."""

    BINDINGS = [
        Binding("escape", "dismiss_popup", "Close", id="close_popup"),
        Binding("s", "start", "Start self-test", id="start_self_test"),
    ]
    HELP_KEY = "popup"

    def compose(self) -> ComposeResult:
        rules = self.engine.rules
        with Vertical(id="popup"):
            yield Static(self.t("popup.title"), id="popup-title")
            yield StatusBanner()
            body = self.t(
                "popup.body",
                pass_mark=rules.pass_mark,
                products=rules.products_required,
                keywords=rules.keywords_required,
                days=rules.deadline_days,
            )
            yield Static(bold_only(body), id="popup-body")
            with Horizontal(id="popup-buttons"):
                yield Button(self.t("popup.start"), id="start", variant="primary")
                yield Button(self.t("popup.later"), id="later")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_dismiss_popup()

    def action_start(self) -> None:
        self.dismiss()
        self.plan_app.open_screen("self_test")

    def action_dismiss_popup(self) -> None:
        self.dismiss()
        self.notify(self.t("guide_kept"))

"""F1: help for the focused part of the screen, in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Markdown, Static

from app.tui.base import PlanModal


class HelpModal(PlanModal):
    """A short help text with a title; Escape or Enter closes it."""

    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    HelpModal > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpModal #help-title { text-style: bold; color: $text-accent; }
    HelpModal VerticalScroll { height: auto; max-height: 20; }
    HelpModal Button { margin: 1 0 0 0; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close", id="close_popup")]

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.topic = topic

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.t(f"help.{self.topic}.title"), id="help-title")
            with VerticalScroll():
                yield Markdown(self.t(f"help.{self.topic}"))
            yield Button(self.t("close"), id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()

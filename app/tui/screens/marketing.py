"""Marketing Center (营销中心): the back-office home where the plan shows up,
with the status banner (R22) and a card for each of the three steps."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from app.core import i18n, status
from app.tui.base import PlanScreen
from app.tui.widgets.status import StatusBanner, TopBar

i18n.register(
    {
        "mc.title": {"en": "Marketing Center", "zh": "营销中心"},
        "mc.step1": {"en": "① Self-test", "zh": "① 新手自测"},
        "mc.step2": {"en": "② Tasks", "zh": "② 新手任务"},
        "mc.step3": {"en": "③ Spend waiver", "zh": "③ 新手免单"},
        "mc.step1.passed": {
            "en": "✓ Passed with {best} ({attempts} attempt(s)).",
            "zh": "✓ 已通过，最高 {best} 分（共 {attempts} 次）。",
        },
        "mc.step1.failed": {
            "en": "✗ Not passed yet: best {best}, pass mark {pass_mark}. Retake it.",
            "zh": "✗ 尚未通过：最高 {best} 分，及格线 {pass_mark} 分。请重新自测。",
        },
        "mc.step1.new": {
            "en": "○ Not taken. Score {pass_mark} or more to pass.",
            "zh": "○ 尚未参加。得分 {pass_mark} 分及以上即通过。",
        },
        "mc.step2.done": {"en": "✓ All three tasks met.", "zh": "✓ 三项任务全部达标。"},
        "mc.step2.open": {
            "en": "○ {met} of 3 tasks met.",
            "zh": "○ 已达标 {met}/3 项任务。",
        },
        "mc.step3.ready": {
            "en": "○ Ready: activate before the deadline.",
            "zh": "○ 可开启：请在截止时间前开启免单。",
        },
        "mc.step3.running": {
            "en": "▶ Waiver day {day} of {days}.",
            "zh": "▶ 免单第 {day}/{days} 天。",
        },
        "mc.step3.finished": {
            "en": "✓ All {days} waiver days used.",
            "zh": "✓ {days} 个免单日已全部用完。",
        },
        "mc.go": {"en": "Open", "zh": "进入"},
        "mc.p4p_home": {"en": "P4P home", "zh": "外贸直通车首页"},
        "mc.help_center": {"en": "Help Center", "zh": "帮助中心"},
        "mc.profiles": {"en": "Profiles", "zh": "档案管理"},
    }
)


class StepCard(Static):
    """One step: its state in words and symbols, or why it is locked."""


class MarketingCenterScreen(PlanScreen):
    """Home screen: status banner, step cards, links."""

    BINDINGS = [
        Binding("1", "open('self_test')", "Self-test", id="self_test"),
        Binding("2", "open('tasks')", "Tasks", id="tasks"),
        Binding("3", "open('waiver')", "Waiver", id="waiver"),
        Binding("h", "open('p4p_home')", "P4P home", id="p4p_home"),
        Binding("c", "open('help')", "Help Center", id="help_center"),
        Binding("p", "open('profiles')", "Profiles", id="profiles"),
        Binding("g", "popup", "Newcomer guide", id="popup"),
    ]
    HELP_KEY = "marketing"

    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="mc-body"):
            yield Static(self.t("mc.title"), classes="screen-title")
            yield StatusBanner()
            with Grid(id="mc-steps"):
                for step, target in (
                    ("step1", "self_test"),
                    ("step2", "tasks"),
                    ("step3", "waiver"),
                ):
                    card = StepCard(id=f"card-{step}", classes="step-card")
                    card.border_title = self.t(f"mc.{step}")
                    yield card
                    yield Button(self.t("mc.go"), id=f"go-{target}", classes="step-go")
            with Horizontal(id="mc-links"):
                yield Button(self.t("mc.p4p_home"), id="go-p4p_home")
                yield Button(self.t("mc.help_center"), id="go-help")
                yield Button(self.t("mc.profiles"), id="go-profiles")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Update the cards in place (cheaper than recomposing)."""
        engine = self.engine
        rules = engine.rules
        best = "-" if engine.best_score is None else engine.best_score
        if engine.self_test_passed:
            step1 = self.t("mc.step1.passed", best=best, attempts=len(engine.attempts))
        elif engine.attempts:
            step1 = self.t("mc.step1.failed", best=best, pass_mark=rules.pass_mark)
        else:
            step1 = self.t("mc.step1.new", pass_mark=rules.pass_mark)
        self._set_card("step1", step1, locked=False, done=engine.self_test_passed)

        lock = status.tasks_lock(engine, self.lang)
        met = sum(1 for _, _, ok in engine.task_status().values() if ok)
        if lock:
            step2 = f"⊘ {lock}"
        elif met == 3:
            step2 = self.t("mc.step2.done")
        else:
            step2 = self.t("mc.step2.open", met=met)
        self._set_card("step2", step2, locked=bool(lock), done=met == 3 and not lock)

        tier = engine.tier
        if engine.stage == "finished" and tier:
            step3 = self.t("mc.step3.finished", days=tier.days)
        elif engine.activated_at is not None and tier:
            step3 = self.t(
                "mc.step3.running", day=engine.open_waiver_day, days=tier.days
            )
        else:
            reason = status.waiver_lock(engine, self.lang)
            step3 = f"⊘ {reason}" if reason else self.t("mc.step3.ready")
        self._set_card(
            "step3",
            step3,
            locked=engine.activated_at is None
            and status.waiver_lock(engine, self.lang) is not None,
            done=engine.stage == "finished",
        )

    def _set_card(self, step: str, text: str, locked: bool, done: bool) -> None:
        card = self.query_one(f"#card-{step}", StepCard)
        card.update(Text(text))
        card.set_class(locked, "-locked")
        card.set_class(done, "-done")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("go-"):
            self.action_open(event.button.id.removeprefix("go-"))

    def action_open(self, name: str) -> None:
        self.plan_app.open_screen(name)

    def action_popup(self) -> None:
        self.plan_app.show_popup()

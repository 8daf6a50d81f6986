"""Step 2, the newcomer tasks (新手任务): three live checks (R7-R9), each
with a "?" that explains it (R10) and a way to work on it. Judged on the
live numbers until the waiver is activated (R11)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Markdown, Static

from app.core import i18n, status, timeutil
from app.core import workspace as ws
from app.tui.base import PlanModal, PlanScreen
from app.tui.widgets.status import TopBar

TASKS = ("info_score", "products", "keywords")
# task -> (module, class) of its tool, imported when first opened.
TASK_SCREENS = {
    "info_score": ("app.tui.screens.back_office", "BackOfficeScreen"),
    "products": ("app.tui.screens.product_picker", "ProductPickerScreen"),
    "keywords": ("app.tui.screens.keyword_tool", "KeywordToolScreen"),
}

i18n.register(
    {
        "tk.title": {"en": "Newcomer tasks", "zh": "新手任务"},
        "tk.intro": {
            "en": "Meet all three to unlock step 3, the spend waiver (R12).",
            "zh": "三项全部达标后，才能开启第三步“新手免单”（R12）。",
        },
        "tk.label.info_score": {
            "en": "Information display score",
            "zh": "信息展示分",
        },
        "tk.label.products": {"en": "Products in promotion", "zh": "推广中产品"},
        "tk.label.keywords": {"en": "Keywords in promotion", "zh": "推广中关键词"},
        "tk.met": {"en": "✓ Met", "zh": "✓ 已达标"},
        "tk.not_met": {"en": "✗ Not met", "zh": "✗ 未达标"},
        "tk.need": {"en": "need {missing} more", "zh": "还差 {missing}"},
        "tk.go.info_score": {"en": "Go optimize", "zh": "去优化"},
        "tk.go.products": {"en": "Add now", "zh": "立即添加"},
        "tk.go.keywords": {"en": "Add now", "zh": "立即添加"},
        "tk.explain_tip": {
            "en": "What this task asks (Enter or click)",
            "zh": "这项任务的说明（回车或点击）",
        },
        "tk.locked.head": {"en": "⊘ Step 2 is locked", "zh": "⊘ 第二步未解锁"},
        "tk.locked.clears": {
            "en": "What clears it: score {pass_mark} or more in the self-test. "
            "You may look around the checklist meanwhile.",
            "zh": "解锁方法：新手自测得分达到 {pass_mark} 分及以上。"
            "解锁前可以先看看任务清单。",
        },
        "tk.locked.take": {"en": "Take the self-test", "zh": "去参加自测"},
        "tk.all_met": {
            "en": "✓ All three tasks are met: step 3 can be activated.",
            "zh": "✓ 三项任务全部达标，可以开启第三步。",
        },
        "tk.live": {
            "en": "Judged live (R11): removing products or keywords now "
            "un-meets a task until the waiver is activated.",
            "zh": "实时判定（R11）：在开启免单之前，"
            "删除产品或关键词会让任务重新变为未达标。",
        },
        "tk.frozen": {
            "en": "▶ The waiver was activated on {at}. The tasks were met then; "
            "later changes here no longer affect it (R11).",
            "zh": "▶ 已于 {at} 开启免单。开启时任务已达标，"
            "之后在这里的改动不再影响免单（R11）。",
        },
        "tk.go_waiver": {"en": "Go to the waiver", "zh": "前往新手免单"},
        "tk.help.info_score.title": {
            "en": "Information display score (R7)",
            "zh": "信息展示分（R7）",
        },
        "tk.help.info_score": {
            "en": "The first metric of the merchant growth score: how complete "
            "and tidy your store information is. The system judges whether it "
            "is too low; this trainer uses a score from 0.0 to {max} with the "
            "bar at **{bar}**.\n\nRaise it in the back office (**Go optimize**): "
            "each optimization suggestion you complete adds to the score.",
            "zh": "商家成长分的第一项指标，衡量店铺信息是否完整、规范。"
            "系统会判断分数是否过低；本训练器的分数范围为 0.0 到 {max}，"
            "达标线为 **{bar}**。\n\n在 MA 后台（**去优化**）完成优化建议，"
            "每完成一条，分数就会提高。",
        },
        "tk.help.products.title": {
            "en": "Products in promotion (R8)",
            "zh": "推广中产品（R8）",
        },
        "tk.help.products": {
            "en": "At least **{bar}** products must be in promotion in P4P. "
            "**Add now** opens the product list: promote or un-promote each "
            "one. The count is live (R11): removing products before activation "
            "un-meets the task.",
            "zh": "外贸直通车中推广中的产品至少 **{bar}** 个。**立即添加** "
            "打开产品列表，可逐个推广或取消推广。数量实时判定（R11）："
            "开启免单前删除产品，任务会重新变为未达标。",
        },
        "tk.help.keywords.title": {
            "en": "Keywords in promotion (R9)",
            "zh": "推广中关键词（R9）",
        },
        "tk.help.keywords": {
            "en": "At least **{bar}** keywords must be in promotion. **Add now** "
            "opens the keyword tool: it suggests keywords of the products you "
            "promote, and you can add many at once. The count is live (R11).",
            "zh": "推广中的关键词至少 **{bar}** 个。**立即添加** 打开关键词工具："
            "它会根据推广中的产品推荐关键词，可一次添加多个。数量实时判定（R11）。",
        },
        "key.tk_info": {"en": "Optimize", "zh": "去优化"},
        "key.tk_products": {"en": "Products", "zh": "产品"},
        "key.tk_keywords": {"en": "Keywords", "zh": "关键词"},
        "key.tk_self_test": {"en": "Self-test", "zh": "自测"},
        "key.tk_waiver": {"en": "Waiver", "zh": "免单"},
        "help.tasks.title": {"en": "Newcomer tasks", "zh": "新手任务"},
        "help.tasks": {
            "en": "Three tasks, each judged on the live numbers (R11): the "
            "information display score (R7), products (R8) and keywords (R9) "
            "in promotion. Each shows its value against the bar and ✓ met or "
            "✗ not met. **Tab** to a **?** and press **Enter** for what it "
            "asks (R10).\n\nKeys: **o** go optimize, **d** add products, "
            "**k** add keywords, **t** self-test (while locked), **w** waiver.",
            "zh": "三项任务均按实时数值判定（R11）：信息展示分（R7）、推广中产品"
            "（R8）和推广中关键词（R9）。每项显示当前值与达标线，以及 ✓ 已达标 "
            "或 ✗ 未达标。按 **Tab** 移到 **?** 再按 **回车** 查看说明（R10）。"
            "\n\n按键：**o** 去优化，**d** 添加产品，**k** 添加关键词，"
            "**t** 去自测（未解锁时），**w** 新手免单。",
        },
        "help.task_help.title": {"en": "Task explanation", "zh": "任务说明"},
        "help.task_help": {
            "en": "What the task asks and how to meet it. **Esc** closes.",
            "zh": "说明这项任务的要求和完成方法。按 **Esc** 关闭。",
        },
    }
)


def task_value(engine, task: str) -> tuple[str, bool, str]:
    """(value / bar text, met, how much is missing) of one task."""
    value, required, met = engine.task_status()[task]
    if task == "info_score":
        text = f"{value / 100:.1f} / {required / 100:.1f}"
        missing = f"{max(0, required - value) / 100:.1f}"
    else:
        text = f"{value} / {required}"
        missing = str(max(0, required - value))
    return text, met, missing


class ScreenCommands(Provider):
    """The command palette entries of a screen of this part: each pair of
    `palette_commands()` is (i18n key of the label, action to run)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        lang = screen.app.lang  # type: ignore[attr-defined]
        found = []
        for key, action in screen.palette_commands():  # type: ignore[attr-defined]
            tip = f"{key}.tip"
            found.append(
                (
                    i18n.t(key, lang),
                    i18n.t(tip, lang) if i18n.has(tip) else "",
                    partial(screen.run_action, action),
                )
            )
        return found

    async def discover(self) -> Hits:
        for label, tip, run in self._commands():
            yield DiscoveryHit(label, run, help=tip)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, tip, run in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=tip)


class TaskRow(Horizontal):
    """One task: state, value against the bar, "?" and the way to work on it."""

    HELP_KEY = "tasks"

    def __init__(self, task: str) -> None:
        super().__init__(id=f"task-{task}", classes="task-row")
        self.task_name = task


class TasksScreen(PlanScreen):
    """The checklist, with the lock of step 2 while the self-test is not
    passed (R5)."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    HELP_KEY = "tasks"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("o", "work('info_score')", "Optimize", id="tk_info"),
        Binding("d", "work('products')", "Products", id="tk_products"),
        Binding("k", "work('keywords')", "Keywords", id="tk_keywords"),
        Binding("t", "self_test", "Self-test", id="tk_self_test"),
        Binding("w", "waiver", "Waiver", id="tk_waiver"),
    ]
    COMMANDS = {ScreenCommands}

    def palette_commands(self) -> list[tuple[str, str]]:
        return [
            ("cmd.tk_info", "work('info_score')"),
            ("cmd.tk_products", "work('products')"),
            ("cmd.tk_keywords", "work('keywords')"),
            *((f"cmd.tk_explain.{task}", f"explain('{task}')") for task in TASKS),
        ]

    def action_explain(self, task: str) -> None:
        self.app.push_screen(TaskHelpModal(task))

    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="tk-body"):
            yield Static(self.t("tk.title"), classes="screen-title")
            with Vertical(id="tk-lock"):
                yield Static("", id="tk-lock-text")
                yield Button(self.t("tk.locked.take"), id="tk-take-test", compact=True)
            yield Static(self.t("tk.intro"), id="tk-intro")
            for task in TASKS:
                with TaskRow(task):
                    yield Static("", id=f"state-{task}", classes="task-state")
                    yield Static("", id=f"value-{task}", classes="task-value")
                    yield Button(
                        "?",
                        id=f"explain-{task}",
                        classes="task-explain",
                        compact=True,
                        tooltip=self.t("tk.explain_tip"),
                    )
                    yield Button(
                        self.t(f"tk.go.{task}"),
                        id=f"work-{task}",
                        classes="task-work",
                        compact=True,
                    )
            yield Static("", id="tk-note")
            yield Button(self.t("tk.go_waiver"), id="tk-go-waiver", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        ws.reconcile(self.session, ws.load_catalog())
        self.refresh_view()

    def refresh_view(self) -> None:
        engine = self.engine
        lock = status.tasks_lock(engine, self.lang)
        box = self.query_one("#tk-lock")
        box.display = lock is not None
        if lock:
            box.border_title = self.t("tk.locked.head")
            self.query_one("#tk-lock-text", Static).update(
                Text(
                    f"{lock}\n"
                    + self.t("tk.locked.clears", pass_mark=engine.rules.pass_mark)
                )
            )
        for task in TASKS:
            text, met, missing = task_value(engine, task)
            word = self.t("tk.met" if met else "tk.not_met")
            state = self.query_one(f"#state-{task}", Static)
            state.update(Text(word, "bold"))
            state.set_class(met, "-met")
            state.set_class(not met, "-not-met")
            label = Text.assemble(
                (self.t(f"tk.label.{task}"), "bold"), "  ", (text, "bold")
            )
            if not met:
                label.append(f"  ({self.t('tk.need', missing=missing)})", "dim")
            self.query_one(f"#value-{task}", Static).update(label)
            self.query_one(f"#task-{task}").set_class(met, "-met")
        if engine.activated_at is not None:
            note = self.t("tk.frozen", at=timeutil.show(engine.activated_at))
        elif engine.tasks_met:
            note = self.t("tk.all_met") + "\n" + self.t("tk.live")
        else:
            note = self.t("tk.live")
        self.query_one("#tk-note", Static).update(Text(note))
        go = self.query_one("#tk-go-waiver", Button)
        go.display = engine.tasks_met or engine.activated_at is not None
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "self_test":
            return not self.engine.self_test_passed
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        event.stop()
        if button.startswith("explain-"):
            self.action_explain(button.removeprefix("explain-"))
        elif button.startswith("work-"):
            self.action_work(button.removeprefix("work-"))
        elif button == "tk-take-test":
            self.action_self_test()
        elif button == "tk-go-waiver":
            self.action_waiver()

    def action_work(self, task: str) -> None:
        """Open the tool for a task; while step 2 is locked, say why."""
        lock = status.tasks_lock(self.engine, self.lang)
        if lock:
            self.notify(lock, title=self.t("tk.locked.head"), severity="warning")
            return
        module_name, class_name = TASK_SCREENS[task]
        module = importlib.import_module(module_name)
        self.app.push_screen(getattr(module, class_name)())

    def action_self_test(self) -> None:
        self.plan_app.open_screen("self_test")

    def action_waiver(self) -> None:
        self.plan_app.open_screen("waiver")


class TaskHelpModal(PlanModal):
    """The "?" of one task (R10)."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    HELP_KEY = "task_help"
    BINDINGS = [Binding("escape,enter", "dismiss", "Close", id="close_popup")]

    def __init__(self, task: str) -> None:
        super().__init__()
        self.task_name = task

    def compose(self) -> ComposeResult:
        task = self.task_name
        rules = self.engine.rules
        bars = {
            "info_score": f"{rules.info_score_required / 100:.1f}",
            "products": str(rules.products_required),
            "keywords": str(rules.keywords_required),
        }
        text, met, _ = task_value(self.engine, task)
        now = f"{self.t('tk.label.' + task)}: {text} · " + self.t(
            "tk.met" if met else "tk.not_met"
        )
        with Vertical(classes="small-modal"):
            yield Static(self.t(f"tk.help.{task}.title"), classes="modal-title")
            yield Markdown(
                self.t(
                    f"tk.help.{task}",
                    bar=bars[task],
                    max=f"{rules.info_score_max / 100:.1f}",
                )
            )
            yield Static(Text(now, "bold"), id="tk-help-now")
            with Horizontal(classes="modal-buttons"):
                yield Button(self.t("close"), id="close", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()


def meter(screen: PlanScreen, task: str) -> Text:
    """The task's live state for the top of its tool screen."""
    engine = screen.engine
    text, met, missing = task_value(engine, task)
    line = Text.assemble(
        (screen.t(f"tk.label.{task}"), "bold"),
        "  ",
        (text, "bold"),
        "  ",
        (
            screen.t("tk.met" if met else "tk.not_met"),
            "bold green" if met else "bold red",
        ),
    )
    if not met:
        line.append(f"  ({screen.t('tk.need', missing=missing)})", "dim")
    if engine.activated_at is not None:
        line.append(f"\n{screen.t('tk.after_activation')}", "dim")
    return line


i18n.register(
    {
        "tk.after_activation": {
            "en": "▶ Waiver active: changes here no longer affect it (R11).",
            "zh": "▶ 免单已开启：这里的改动不再影响免单（R11）。",
        },
    }
)


i18n.register(
    {
        "cmd.tk_info": {
            "en": "Tasks: Go optimize the information display score",
            "zh": "任务：去优化信息展示分",
        },
        "cmd.tk_products": {
            "en": "Tasks: Add products to promotion",
            "zh": "任务：添加推广产品",
        },
        "cmd.tk_keywords": {
            "en": "Tasks: Add keywords to promotion",
            "zh": "任务：添加推广关键词",
        },
        "cmd.tk_explain.info_score": {
            "en": "Tasks: ? Information display score",
            "zh": "任务：? 信息展示分说明",
        },
        "cmd.tk_explain.products": {
            "en": "Tasks: ? Products in promotion",
            "zh": "任务：? 推广中产品说明",
        },
        "cmd.tk_explain.keywords": {
            "en": "Tasks: ? Keywords in promotion",
            "zh": "任务：? 推广中关键词说明",
        },
    }
)

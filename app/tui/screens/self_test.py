"""Step 1, the newcomer self-test (新手学习自测).

Question by question, answered by keys or mouse, with the lesson and the
answer one key away (R4). Submitting records the attempt in the engine and
shows the score against the pass mark and a review; below the mark step 2
stays locked (R5). The attempt in progress (seed, answers, position) lives
in the workspace, so leaving and coming back resumes it, and the seed makes
the review show the questions and options in the order they were asked.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Click
from textual.widgets import Button, Footer, Markdown, ProgressBar, Static

from app.core import content, i18n, status
from app.core import workspace as ws
from app.core.content import Attempt, AttemptItem, QuestionBank
from app.tui.base import PlanModal, PlanScreen
from app.tui.screens.tasks import ScreenCommands
from app.tui.widgets.lesson_panel import LessonPanel
from app.tui.widgets.status import TopBar

LETTERS = "abcdef"

i18n.register(
    {
        "st.title": {"en": "Newcomer self-test", "zh": "新手学习自测"},
        "st.count": {
            "en": "Question {n} of {total} · {answered} answered",
            "zh": "第 {n}/{total} 题 · 已答 {answered} 题",
        },
        "st.kind.single": {"en": "One answer", "zh": "单选"},
        "st.kind.multiple": {
            "en": "Several answers: toggle each",
            "zh": "多选：逐个勾选",
        },
        "st.kind.true_false": {"en": "True or false", "zh": "判断"},
        "st.kind.number": {"en": "Worked number", "zh": "计算题"},
        "st.keys": {
            "en": "Keys: a-f or 1-6 choose · ↑↓ and space move and choose",
            "zh": "按键：a-f 或 1-6 选择 · ↑↓ 移动，空格选择",
        },
        "st.keys.tf": {
            "en": "Keys: t true · f false (or a/b, 1/2)",
            "zh": "按键：t 对 · f 错（或 a/b、1/2）",
        },
        "st.left_out": {
            "en": "⚠ {count} worked-number question(s) left out ({ids}): under "
            "the rule file {file} the engine no longer agrees with their answer.",
            "zh": "⚠ 已略去 {count} 道计算题（{ids}）：在规则文件 {file} 下，"
            "引擎算出的结果与其答案不再一致。",
        },
        "st.correct_mark": {"en": "✓ correct", "zh": "✓ 正确答案"},
        "st.prev": {"en": "◀ Previous", "zh": "◀ 上一题"},
        "st.next": {"en": "Next ▶", "zh": "下一题 ▶"},
        "st.lesson": {"en": "Lesson", "zh": "课程"},
        "st.answer": {"en": "Answer", "zh": "答案"},
        "st.submit": {"en": "Submit", "zh": "交卷"},
        "st.answer_text": {
            "en": "**Answer:** {answer}\n\n**Why:** {why}",
            "zh": "**答案：** {answer}\n\n**解析：** {why}",
        },
        "st.confirm.title": {"en": "Submit the self-test?", "zh": "确认交卷？"},
        "st.confirm.body": {
            "en": "{count} question(s) not answered: {numbers}. Unanswered "
            "questions count as wrong.",
            "zh": "还有 {count} 题未作答：第 {numbers} 题。未作答的题目按答错计分。",
        },
        "st.confirm.yes": {"en": "Submit anyway", "zh": "仍然交卷"},
        "st.confirm.no": {"en": "Keep answering", "zh": "继续作答"},
        "st.passed": {"en": "✓ PASSED", "zh": "✓ 已通过"},
        "st.failed": {"en": "✗ NOT PASSED", "zh": "✗ 未通过"},
        "st.score": {
            "en": "{score} / 100 · pass mark {pass_mark}",
            "zh": "{score} / 100 分 · 及格线 {pass_mark} 分",
        },
        "st.passed.next": {
            "en": "Step 1 is complete. Step 2, the tasks, is open.",
            "zh": "第一步已完成，第二步“新手任务”已解锁。",
        },
        "st.failed.lock": {
            "en": "⊘ Step 2 stays locked. {lock} Retake the self-test: a new "
            "set of questions is drawn.",
            "zh": "⊘ 第二步仍未解锁。{lock}请重新自测，系统会重新抽题。",
        },
        "st.failed.open": {
            "en": "Below the pass mark. An earlier attempt passed, so step 2 "
            "stays open.",
            "zh": "本次未达及格线。之前已有一次通过，第二步保持解锁。",
        },
        "st.retake": {"en": "Retake", "zh": "重新自测"},
        "st.go_tasks": {"en": "Go to tasks", "zh": "前往新手任务"},
        "st.review": {"en": "Review", "zh": "答题回顾"},
        "st.right": {"en": "✓ right", "zh": "✓ 答对"},
        "st.wrong": {"en": "✗ wrong", "zh": "✗ 答错"},
        "st.yours": {"en": "Your answer", "zh": "你的答案"},
        "st.none": {"en": "— not answered", "zh": "— 未作答"},
        "st.right_answer": {"en": "Correct", "zh": "正确答案"},
        "st.why": {"en": "Why", "zh": "解析"},
        "cmd.st_lesson": {
            "en": "Self-test: Show or hide the lesson (l)",
            "zh": "自测：显示或隐藏课程（l）",
        },
        "cmd.st_answer": {
            "en": "Self-test: Show or hide the answer (v)",
            "zh": "自测：显示或隐藏答案（v）",
        },
        "cmd.st_submit": {"en": "Self-test: Submit (s)", "zh": "自测：交卷（s）"},
        "cmd.st_retake": {"en": "Self-test: Retake (r)", "zh": "自测：重新自测（r）"},
        "cmd.st_tasks": {
            "en": "Self-test: Go to tasks (2)",
            "zh": "自测：前往新手任务（2）",
        },
        "key.st_prev": {"en": "Previous", "zh": "上一题"},
        "key.st_next": {"en": "Next", "zh": "下一题"},
        "key.st_lesson": {"en": "Lesson", "zh": "课程"},
        "key.st_lesson.tip": {
            "en": "Show or hide the lesson for this question",
            "zh": "显示或隐藏本题对应的课程",
        },
        "key.st_answer": {"en": "Answer", "zh": "答案"},
        "key.st_answer.tip": {
            "en": "Show or hide the answer and why (allowed, R4)",
            "zh": "显示或隐藏答案和解析（允许，R4）",
        },
        "key.st_submit": {"en": "Submit", "zh": "交卷"},
        "key.st_retake": {"en": "Retake", "zh": "重新自测"},
        "key.st_tasks": {"en": "Tasks", "zh": "任务"},
        "key.st_yes": {"en": "Submit", "zh": "交卷"},
        "key.st_no": {"en": "Keep answering", "zh": "继续作答"},
        "help.self_test.title": {"en": "Self-test", "zh": "新手自测"},
        "help.self_test": {
            "en": "Answer each question, then submit. Score the pass mark "
            "(80 by default) or more to pass (R5); below that, retake it.\n\n"
            "- **a-f** or **1-6**: choose an option (toggle for several "
            "answers); **t** / **f** for true or false; **↑ ↓** and "
            "**space** or **Enter** also choose; a click works too.\n"
            "- **← →** or **p** / **n**: previous / next question.\n"
            "- **l**: the lesson for this question; **v**: its answer and "
            "why. Both are allowed at any time (R4).\n"
            "- **s**: submit (asks first if some are unanswered).\n"
            "- **Esc**: back; your answers are kept for later.",
            "zh": "逐题作答后交卷。得分达到及格线（默认 80 分）及以上即通过（R5），"
            "否则需重新自测。\n\n"
            "- **a-f** 或 **1-6**：选择选项（多选题再按一次取消）；判断题按 "
            "**t** / **f**；也可用 **↑ ↓** 加 **空格** 或 **回车**，或直接点击。\n"
            "- **← →** 或 **p** / **n**：上一题 / 下一题。\n"
            "- **l**：查看本题对应课程；**v**：查看答案和解析。"
            "自测过程中随时可以查看（R4）。\n"
            "- **s**：交卷（有未答题时会先确认）。\n"
            "- **Esc**：返回，已答内容会保留。",
        },
        "help.self_test_result.title": {"en": "Self-test result", "zh": "自测结果"},
        "help.self_test_result": {
            "en": "Your score against the pass mark, and every question with "
            "your answer, the correct one and why. **r** retakes the test "
            "with newly drawn questions; **2** opens the tasks once passed.",
            "zh": "显示得分与及格线的对比，以及每道题你的答案、正确答案和解析。"
            "按 **r** 重新抽题自测；通过后按 **2** 进入新手任务。",
        },
    }
)


def new_seed() -> int:
    return secrets.randbelow(1_000_000_000)


def load_bank() -> QuestionBank:
    return content.load_bank()


class OptionRow(Static):
    """One answer option: its key, a mark and the text. A click chooses."""

    def __init__(self, position: int) -> None:
        super().__init__(id=f"opt-{position}", classes="st-option")
        self.position = position

    def _on_click(self, event: Click) -> None:
        event.stop()
        screen = self.screen
        if isinstance(screen, SelfTestScreen):
            screen.choose(self.position)


class QuestionPane(VerticalScroll):
    """The question and its options; holds focus while answering."""

    HELP_KEY = "self_test"
    BINDINGS = [
        Binding("up", "screen.cursor(-1)", show=False),
        Binding("down", "screen.cursor(1)", show=False),
        Binding("space,enter", "screen.toggle_cursor", show=False),
        Binding("left", "screen.move(-1)", show=False),
        Binding("right", "screen.move(1)", show=False),
    ]


class SelfTestScreen(PlanScreen):
    """Question by question, then the result with a review."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("left,p", "move(-1)", "Previous", id="st_prev", key_display="←/p"),
        Binding("right,n", "move(1)", "Next", id="st_next", key_display="→/n"),
        Binding("l", "toggle_lesson", "Lesson", id="st_lesson"),
        Binding("v", "toggle_answer", "Answer", id="st_answer"),
        Binding("s", "submit", "Submit", id="st_submit"),
        Binding("r", "retake", "Retake", id="st_retake"),
        Binding("2", "tasks", "Tasks", id="st_tasks"),
        *(
            Binding(key, f"pick({n})", show=False)
            for n, key in enumerate(LETTERS.replace("f", ""))
        ),
        *(Binding(str(n + 1), f"pick({n})", show=False) for n in range(6)),
        Binding("f", "key_f", show=False),
        Binding("t", "key_t", show=False),
    ]
    COMMANDS = {ScreenCommands}

    def palette_commands(self) -> list[tuple[str, str]]:
        if self.result is not None:
            keys = [("cmd.st_retake", "retake")]
            if self.engine.self_test_passed:
                keys.append(("cmd.st_tasks", "tasks"))
            return keys
        return [
            ("cmd.st_lesson", "toggle_lesson"),
            ("cmd.st_answer", "toggle_answer"),
            ("cmd.st_submit", "submit"),
        ]

    @property  # type: ignore[override]
    def HELP_KEY(self) -> str:  # the name F1 looks up
        done = getattr(self, "result", None) is not None
        return "self_test_result" if done else "self_test"

    def __init__(self, seed: int | str | None = None) -> None:
        super().__init__()
        self.bank = load_bank()
        self.result: dict[str, Any] | None = None
        self.cursor = 0
        state: dict[str, Any] = {}
        self._forced_seed = seed
        self._state_loaded = False
        self._state = state

    # ------------------------------------------------------------ state

    def _start(self, seed: int | str | None = None) -> None:
        """Resume the attempt in the workspace, or draw a new one."""
        state = ws.self_test_state(self.session.workspace)
        if seed is not None:
            state = {"seed": seed}
        elif "seed" not in state:
            state = {"seed": new_seed()}
        self.seed = state["seed"]
        self.attempt: Attempt = content.draw_attempt(
            self.bank, self.engine.rules, self.seed
        )
        ids = set(self.attempt.question_ids)
        raw = state.get("answers", {})
        self.answers: dict[str, list[str]] = {
            qid: list(keys) for qid, keys in raw.items() if qid in ids and keys
        }
        self.index = min(int(state.get("index", 0)), len(self.attempt.items) - 1)
        self.revealed: set[str] = set(state.get("revealed", [])) & ids
        self.panel_open = bool(state.get("panel", False))
        self.cursor = 0
        self._save(quiet=True)

    def _save(self, quiet: bool = False) -> None:
        ws.save_self_test(
            self.session.workspace,
            {
                "seed": self.seed,
                "answers": self.answers,
                "index": self.index,
                "revealed": sorted(self.revealed),
                "panel": self.panel_open,
            },
        )
        if not quiet:
            self.plan_app.changed()

    @property
    def item(self) -> AttemptItem:
        return self.attempt.items[self.index]

    def _letter(self, item: AttemptItem, position: int) -> str:
        if item.question.kind == "true_false":
            return item.options[position].key
        return LETTERS[position]

    def _answer_label(self, item: AttemptItem, keys) -> str:
        lang = self.lang
        parts = [
            f"({self._letter(item, n)}) {option.text(lang)}"
            for n, option in enumerate(item.options)
            if option.key in keys
        ]
        return "; ".join(parts)

    # ---------------------------------------------------------- compose

    def compose(self) -> ComposeResult:
        if not self._state_loaded:
            self._start(self._forced_seed)
            self._state_loaded = True
        yield TopBar()
        if self.result is None:
            yield from self._compose_question()
        else:
            yield from self._compose_result()
        yield Footer()

    def _compose_question(self) -> ComposeResult:
        total = len(self.attempt.items)
        with Horizontal(id="st-head"):
            yield Static(self.t("st.title"), id="st-title")
            yield Static("", id="st-count")
            yield ProgressBar(
                total=total, show_eta=False, show_percentage=False, id="st-progress"
            )
        with Horizontal(id="st-body"):
            with QuestionPane(id="st-question"):
                yield Static("", id="st-prompt")
                with Vertical(id="st-options"):
                    for position in range(len(LETTERS)):
                        yield OptionRow(position)
                yield Static("", id="st-hint")
            panel = LessonPanel(id="st-lesson")
            panel.display = self.panel_open
            yield panel
        with Horizontal(id="st-nav"):
            yield Button(self.t("st.prev"), id="st-prev", compact=True)
            yield Button(self.t("st.next"), id="st-next", compact=True)
            yield Button(
                self.t("st.lesson"),
                id="st-lesson-btn",
                compact=True,
                tooltip=self.t("key.st_lesson.tip"),
            )
            yield Button(
                self.t("st.answer"),
                id="st-answer-btn",
                compact=True,
                tooltip=self.t("key.st_answer.tip"),
            )
            yield Button(
                self.t("st.submit"), id="st-submit", variant="primary", compact=True
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def refresh_view(self) -> None:
        if self.result is not None:
            return
        if not self.query("#st-question"):
            return
        self._show_question()
        self.query_one(QuestionPane).focus()

    def _show_question(self) -> None:
        item = self.item
        question = item.question
        lang = self.lang
        total = len(self.attempt.items)
        self.query_one("#st-count", Static).update(
            self.t(
                "st.count", n=self.index + 1, total=total, answered=len(self.answers)
            )
        )
        self.query_one(ProgressBar).update(total=total, progress=len(self.answers))
        # A grid, so that a Chinese prompt (one long "word" to the wrapper)
        # starts beside its number instead of on the next line.
        number = f"{self.index + 1}."
        prompt = Table.grid(padding=(0, 1))
        prompt.add_column(width=len(number), no_wrap=True)
        prompt.add_column(ratio=1, overflow="fold")
        prompt.add_row(
            Text(number, "bold"),
            Text.assemble(
                (question.prompt[lang], "bold"),
                "\n",
                (f"{self.t('st.kind.' + question.kind)} · "
                 f"{', '.join(question.rules)}", "dim"),
            ),
        )  # fmt: skip
        self.query_one("#st-prompt", Static).update(prompt)

        chosen = set(self.answers.get(question.id, []))
        revealed = question.id in self.revealed
        multiple = question.kind == "multiple"
        for position in range(len(LETTERS)):
            row = self.query_one(f"#opt-{position}", OptionRow)
            if position >= len(item.options):
                row.display = False
                continue
            option = item.options[position]
            picked = option.key in chosen
            marks = "☑☐" if multiple else "◉○"
            mark = marks[0] if picked else marks[1]
            pointer = "›" if position == self.cursor else " "
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1)
            grid.add_column(width=3)
            grid.add_column(width=1)
            grid.add_column(ratio=1, overflow="fold")
            body = Text(option.text(lang))
            if revealed and option.key in question.answer:
                body.append(f"  {self.t('st.correct_mark')}", "bold green")
            grid.add_row(pointer, f"({self._letter(item, position)})", mark, body)
            row.display = True
            row.update(grid)
            row.set_class(picked, "-chosen")
            row.set_class(position == self.cursor, "-cursor")
        hint = "st.keys.tf" if question.kind == "true_false" else "st.keys"
        hint_text = Text(self.t(hint), "dim")
        left_out = content.questions_left_out(self.bank, self.engine.rules)
        if left_out:
            source = self.engine.rules.source
            hint_text.append("\n")
            hint_text.append(
                self.t(
                    "st.left_out",
                    count=len(left_out),
                    ids=", ".join(left_out),
                    file=os.path.basename(str(source)),
                ),
                "yellow",
            )
        self.query_one("#st-hint", Static).update(hint_text)

        self.query_one("#st-prev", Button).disabled = self.index == 0
        self.query_one("#st-next", Button).disabled = self.index == total - 1
        if self.panel_open:
            answer = None
            if revealed:
                answer = self.t(
                    "st.answer_text",
                    answer=self._answer_label(item, question.answer),
                    why=question.explain[lang],
                )
            self.query_one(LessonPanel).show(question.lesson, answer)

    # ---------------------------------------------------------- answering

    def choose(self, position: int) -> None:
        """Choose the option at `position` (toggle it for `multiple`)."""
        if self.result is not None:
            return
        item = self.item
        if not 0 <= position < len(item.options):
            self.app.bell()
            return
        key = item.options[position].key
        qid = item.question.id
        chosen = list(self.answers.get(qid, []))
        if item.question.kind == "multiple":
            if key in chosen:
                chosen.remove(key)
            else:
                chosen.append(key)
        else:
            chosen = [key]
        if chosen:
            self.answers[qid] = sorted(chosen)
        else:
            self.answers.pop(qid, None)
        self.cursor = position
        self._save()

    def action_pick(self, position: int) -> None:
        self.choose(position)

    def _pick_key(self, key: str) -> None:
        item = self.item
        if item.question.kind == "true_false":
            keys = [option.key for option in item.options]
            self.choose(keys.index(key) if key in keys else -1)
        elif key == "f":
            self.choose(5)
        else:
            self.app.bell()

    def action_key_f(self) -> None:
        self._pick_key("f")

    def action_key_t(self) -> None:
        self._pick_key("t")

    def action_cursor(self, step: int) -> None:
        count = len(self.item.options)
        self.cursor = (self.cursor + step) % count
        self._show_question()

    def action_toggle_cursor(self) -> None:
        self.choose(self.cursor)

    def action_move(self, step: int) -> None:
        if self.result is not None:
            return
        index = self.index + step
        if not 0 <= index < len(self.attempt.items):
            self.app.bell()
            return
        self.index = index
        self.cursor = 0
        self._save()

    def action_toggle_lesson(self) -> None:
        if self.result is not None:
            return
        self.panel_open = not self.panel_open
        self.query_one(LessonPanel).display = self.panel_open
        self._save()

    def action_toggle_answer(self) -> None:
        if self.result is not None:
            return
        qid = self.item.question.id
        if qid in self.revealed:
            self.revealed.discard(qid)
        else:
            self.revealed.add(qid)
            if not self.panel_open:
                self.panel_open = True
                self.query_one(LessonPanel).display = True
        self._save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show in the Footer only what the current view can do."""
        in_result = self.result is not None
        if action == "retake":
            return in_result
        if action == "tasks":
            return in_result and self.engine.self_test_passed
        if action in ("move", "toggle_lesson", "toggle_answer", "submit"):
            return not in_result
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "st-prev": lambda: self.action_move(-1),
            "st-next": lambda: self.action_move(1),
            "st-lesson-btn": self.action_toggle_lesson,
            "st-answer-btn": self.action_toggle_answer,
            "st-submit": self.action_submit,
            "st-retake": self.action_retake,
            "st-go-tasks": self.action_tasks,
        }
        if event.button.id in actions:
            event.stop()
            actions[event.button.id]()

    # ----------------------------------------------------------- submit

    def action_submit(self) -> None:
        if self.result is not None:
            return
        missing = [
            n + 1
            for n, item in enumerate(self.attempt.items)
            if item.question.id not in self.answers
        ]
        if not missing:
            self.submit()
            return

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.submit()

        self.app.push_screen(ConfirmSubmit(missing), done)

    def submit(self) -> None:
        """Score the attempt, record it in the engine and show the result."""
        ids = list(self.attempt.question_ids)
        chosen = [sorted(self.answers.get(qid, [])) for qid in ids]
        marks = self.attempt.marks([keys or None for keys in chosen])
        score = self.attempt.score([keys or None for keys in chosen])
        details = {
            "questions": ids,
            "answers": chosen,
            "seed": self.seed,
            "revealed": sorted(self.revealed),
        }
        attempt = self.engine.take_self_test(score, details=details)
        self.result = {
            "score": score,
            "passed": attempt.passed,
            "answers": chosen,
            "marks": marks,
        }
        ws.save_self_test(self.session.workspace, None)
        self.plan_app.changed()
        self.refresh(recompose=True)

    def action_retake(self) -> None:
        if self.result is None:
            return
        self.result = None
        self._start(new_seed())
        self.plan_app.changed()
        self.refresh(recompose=True)

    def action_tasks(self) -> None:
        if self.result is None:
            return
        self.dismiss()
        self.plan_app.open_screen("tasks")

    # ----------------------------------------------------------- result

    def _compose_result(self) -> ComposeResult:
        assert self.result is not None
        result = self.result
        passed = result["passed"]
        pass_mark = self.engine.rules.pass_mark
        with VerticalScroll(id="st-result"):
            yield Static(self.t("st.title"), classes="screen-title")
            verdict = Text.assemble(
                (self.t("st.passed" if passed else "st.failed"), "bold"),
                "   ",
                (self.t("st.score", score=result["score"], pass_mark=pass_mark),
                 "bold"),
            )  # fmt: skip
            box = Static(
                verdict,
                id="st-verdict",
                classes="-passed" if passed else "-failed",
            )
            yield box
            if passed:
                note = self.t("st.passed.next")
            else:
                lock = status.tasks_lock(self.engine, self.lang)
                note = (
                    self.t("st.failed.lock", lock=lock)
                    if lock
                    else self.t("st.failed.open")
                )
            yield Static(Text(note), id="st-result-note")
            with Horizontal(id="st-result-buttons"):
                if not passed:
                    yield Button(self.t("st.retake"), id="st-retake", variant="primary")
                if self.engine.self_test_passed:
                    yield Button(
                        self.t("st.go_tasks"),
                        id="st-go-tasks",
                        variant="primary" if passed else "default",
                    )
                if passed:
                    yield Button(self.t("st.retake"), id="st-retake")
            yield Static(self.t("st.review"), classes="st-review-title")
            for n, item in enumerate(self.attempt.items):
                yield Static(self._review(n, item, result), classes="st-review-item")

    def _review(self, n: int, item: AttemptItem, result: dict[str, Any]) -> Group:
        lang = self.lang
        question = item.question
        right = result["marks"][n]
        chosen = result["answers"][n]
        head = Text.assemble(
            (f"{n + 1}. ", "bold"),
            (self.t("st.right" if right else "st.wrong"),
             "bold green" if right else "bold red"),
            "  ",
            (question.prompt[lang], "bold"),
        )  # fmt: skip
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(ratio=1, overflow="fold")
        yours = self._answer_label(item, chosen) if chosen else self.t("st.none")
        grid.add_row(self.t("st.yours"), yours)
        grid.add_row(
            self.t("st.right_answer"), self._answer_label(item, question.answer)
        )
        grid.add_row(self.t("st.why"), question.explain[lang])
        return Group(head, grid)

    def on_screen_resume(self) -> None:
        if self.result is None and self.query(QuestionPane):
            self.query_one(QuestionPane).focus()


class ConfirmSubmit(PlanModal):
    """Asks before submitting with unanswered questions."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    HELP_KEY = "self_test"
    BINDINGS = [
        Binding("escape,n", "answer(False)", "Keep answering", id="st_no"),
        Binding("y", "answer(True)", "Submit", id="st_yes"),
    ]

    def __init__(self, missing: list[int]) -> None:
        super().__init__()
        self.missing = missing

    def compose(self) -> ComposeResult:
        sep = "、" if self.lang == "zh" else ", "
        with Vertical(id="st-confirm", classes="small-modal"):
            yield Static(self.t("st.confirm.title"), classes="modal-title")
            yield Markdown(
                self.t(
                    "st.confirm.body",
                    count=len(self.missing),
                    numbers=sep.join(str(n) for n in self.missing),
                )
            )
            with Horizontal(classes="modal-buttons"):
                yield Button(self.t("st.confirm.no"), id="no", variant="primary")
                yield Button(self.t("st.confirm.yes"), id="yes", variant="warning")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def refresh_view(self) -> None:
        """Nothing here depends on the state; only the language."""

"""Profiles (档案管理): list, open, create, delete, reset or step back.

Every profile is a file in the state folder (`app.core.store`). The list
reads only what each file's summary says; the open profile shows live.
Switching saves and releases the open profile, then puts the other one on
Marketing Center (`use_session`, shared with the scenario picker).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Static

from app.core import i18n, money
from app.core.engine import Account
from app.core.errors import InputError
from app.core.session import Session
from app.core.store import (
    MAX_NAME_LEN,
    ProfileLocked,
    ProfileSummary,
    StoreError,
    valid_profile_name,
)
from app.tui.base import PlanModal, PlanScreen
from app.tui.widgets.status import TopBar

i18n.register(
    {
        "pf.title": {"en": "Profiles", "zh": "档案管理"},
        "pf.col.name": {"en": "Profile", "zh": "档案"},
        "pf.col.stage": {"en": "Stage", "zh": "阶段"},
        "pf.col.clock": {"en": "Simulated time", "zh": "模拟时间"},
        "pf.col.deadline": {"en": "Deadline", "zh": "开启截止"},
        "pf.col.days": {"en": "Waiver days", "zh": "免单天数"},
        "pf.stage.self_test": {"en": "① self-test", "zh": "① 新手自测"},
        "pf.stage.tasks": {"en": "② tasks", "zh": "② 新手任务"},
        "pf.stage.ready": {"en": "③ ready", "zh": "③ 待开启免单"},
        "pf.stage.waiver": {"en": "▶ waiver", "zh": "▶ 免单中"},
        "pf.stage.finished": {"en": "✓ finished", "zh": "✓ 免单结束"},
        "pf.stage.lapsed": {"en": "✗ lapsed", "zh": "✗ 已失效"},
        "pf.stage.ineligible": {"en": "✗ not eligible", "zh": "✗ 不符合条件"},
        "pf.stage.damaged": {"en": "⚠ damaged", "zh": "⚠ 文件损坏"},
        "pf.stage.unknown": {"en": "?", "zh": "?"},
        "pf.current": {"en": "● open now", "zh": "● 当前打开"},
        "pf.detail": {
            "en": "{stage} · simulated time {clock}\n"
            "activation deadline {deadline} · waiver days used {days}",
            "zh": "{stage} · 模拟时间 {clock}\n"
            "开启截止 {deadline} · 已用免单天数 {days}",
        },
        "pf.problem": {
            "en": "⚠ {problem}. Opening it moves the file aside unchanged and "
            "starts afresh; deleting it removes it.",
            "zh": "⚠ {problem}。打开时会把原文件原样移到一旁并重新开始；也可以删除它。",
        },
        "pf.file": {"en": "File: {path}", "zh": "文件：{path}"},
        "pf.empty": {
            "en": "No saved profiles yet. Press n to create one.",
            "zh": "还没有保存的档案。按 n 新建。",
        },
        "pf.demo": {
            "en": "⊘ Demo mode: nothing is saved, so there are no profiles here. "
            "Start without --demo to use them.",
            "zh": "⊘ 演示模式不保存任何内容，因此没有档案。"
            "不带 --demo 启动即可使用档案。",
        },
        "pf.open": {"en": "Open", "zh": "打开"},
        "pf.new": {"en": "New…", "zh": "新建…"},
        "pf.delete": {"en": "Delete…", "zh": "删除…"},
        "pf.reset": {"en": "Reset…", "zh": "重置…"},
        "pf.step_back": {"en": "Step back…", "zh": "退回一步…"},
        "key.open_profile": {"en": "Open", "zh": "打开"},
        "key.new_profile": {"en": "New", "zh": "新建"},
        "key.delete_profile": {"en": "Delete", "zh": "删除"},
        "key.reset_profile": {"en": "Reset", "zh": "重置"},
        "key.step_back": {"en": "Step back", "zh": "退回一步"},
        "key.create_profile": {"en": "Create", "zh": "创建"},
        "key.cancel": {"en": "Cancel", "zh": "取消"},
        "pf.opened": {"en": "Profile {name} is open.", "zh": "已打开档案 {name}。"},
        "pf.already_open": {
            "en": "Profile {name} is already open.",
            "zh": "档案 {name} 已经是当前档案。",
        },
        "pf.read_only": {
            "en": "{error} Opened read-only: nothing you do is saved.",
            "zh": "{error} 已以只读方式打开：所做操作不会保存。",
        },
        "pf.failed": {
            "en": "Cannot open profile {name}: {error}",
            "zh": "无法打开档案 {name}：{error}",
        },
        "pf.created": {
            "en": "Profile {name} created. Enter opens it.",
            "zh": "已创建档案 {name}。按回车键打开。",
        },
        "pf.deleted": {"en": "Profile {name} deleted.", "zh": "已删除档案 {name}。"},
        "pf.delete_open": {
            "en": "Profile {name} is open now: open another one first, then delete it.",
            "zh": "档案 {name} 正在使用：请先打开其他档案，再删除它。",
        },
        "pf.confirm_delete.title": {"en": "Delete profile?", "zh": "删除档案？"},
        "pf.confirm_delete": {
            "en": "Delete profile {name} and all its progress? This cannot be "
            "undone (copies set aside as damaged stay).",
            "zh": "删除档案 {name} 及其全部进度？此操作无法撤销"
            "（已移到一旁的损坏文件会保留）。",
        },
        "pf.confirm_reset.title": {"en": "Reset profile?", "zh": "重置档案？"},
        "pf.confirm_reset": {
            "en": "Start profile {name} again from its opening account: "
            "self-test attempts, task changes, waiver and spend are cleared. "
            "The simulated clock stays at {clock} (it never goes back), so "
            "the deadline {deadline} is unchanged.",
            "zh": "让档案 {name} 从开户时的帐户重新开始："
            "清除自测记录、任务变更、免单和消耗。"
            "模拟时钟保持在 {clock}（时钟不会倒退），"
            "开启截止时间 {deadline} 不变。",
        },
        "pf.confirm_back.title": {"en": "Step back?", "zh": "退回一步？"},
        "pf.confirm_back": {
            "en": "Undo the last completed step of profile {name} (now: "
            "{stage}). Everything done after that step is undone too; the "
            "clock stays where it is.",
            "zh": "撤销档案 {name} 最近完成的一步（当前：{stage}）。"
            "该步之后的操作也一并撤销；模拟时钟保持不变。",
        },
        "pf.was_reset": {
            "en": "Profile {name} starts again: {stage}.",
            "zh": "档案 {name} 已重新开始：{stage}。",
        },
        "pf.stepped_back": {
            "en": "Profile {name} stepped back: {before} → {after}.",
            "zh": "档案 {name} 已退回一步：{before} → {after}。",
        },
        "pf.nothing_back": {
            "en": "Profile {name}: no step is completed yet, nothing to step "
            "back. Use Reset to start again.",
            "zh": "档案 {name} 还没有完成任何一步，无法退回。可用“重置”重新开始。",
        },
        "pf.read_only_change": {
            "en": "Profile {name} is open read-only; it cannot be changed here.",
            "zh": "档案 {name} 以只读方式打开，无法在此修改。",
        },
        "pf.damaged_change": {
            "en": "Profile {name} is damaged: open it (the file is set aside) "
            "or delete it.",
            "zh": "档案 {name} 已损坏：请打开它（原文件会被移到一旁）或删除它。",
        },
        "pf.no_selection": {"en": "No profile selected.", "zh": "未选择档案。"},
        # The form.
        "form.title": {"en": "New profile", "zh": "新建档案"},
        "form.intro": {
            "en": "The opening account of a new trainee. Each field is checked "
            "as you type.",
            "zh": "新学员的开户帐户。每个字段在输入时即时检查。",
        },
        "form.name": {"en": "Profile name", "zh": "档案名称"},
        "form.recharge": {"en": "Opening recharge (CNY)", "zh": "开户充值额（元）"},
        "form.payment_date": {"en": "P4P payment date", "zh": "直通车到款日"},
        "form.first_p4p_date": {"en": "First P4P date", "zh": "首次开通直通车日期"},
        "form.red_packet": {"en": "Red packet (CNY)", "zh": "红包（元）"},
        "form.coupons": {"en": "Coupons (CNY)", "zh": "优惠卡券（元）"},
        "form.other_promotion": {
            "en": "Already in another P4P promotion (R2)",
            "zh": "已参加其他直通车促销活动（R2）",
        },
        "form.ran_p4p_before": {
            "en": "Returning advertiser: ran P4P before (R1)",
            "zh": "老客户：此前投放过直通车（R1）",
        },
        "form.create": {"en": "Create", "zh": "创建"},
        "form.fix": {
            "en": "Not created: fix {fields} first. Nothing you typed is lost.",
            "zh": "未创建：请先修正 {fields}。已输入的内容都保留着。",
        },
        "form.err.empty": {"en": "{field}: required.", "zh": "{field}：必填。"},
        "form.err.amount": {
            "en": "{field}: “{value}” is not an amount; write e.g. 30000 or 150.50.",
            "zh": "{field}：“{value}”不是金额，请填写如 30000 或 150.50。",
        },
        "form.err.negative": {
            "en": "{field}: cannot be negative.",
            "zh": "{field}：不能为负数。",
        },
        "form.err.decimals": {
            "en": "{field}: at most 2 decimals (whole fen).",
            "zh": "{field}：最多两位小数（精确到分）。",
        },
        "form.err.large": {"en": "{field}: too large.", "zh": "{field}：金额过大。"},
        "form.err.date": {
            "en": "{field}: write the date as YYYY-MM-DD, e.g. 2026-07-01.",
            "zh": "{field}：日期格式为 YYYY-MM-DD，例如 2026-07-01。",
        },
        "form.err.no_date": {
            "en": "{field}: {value} is not a date in the calendar.",
            "zh": "{field}：{value} 不是有效的日期。",
        },
        "form.err.name_long": {
            "en": "{field}: at most {max} characters ({count} typed).",
            "zh": "{field}：最多 {max} 个字符（已输入 {count} 个）。",
        },
        "form.err.name_dot": {
            "en": "{field}: cannot start with “.”.",
            "zh": "{field}：不能以“.”开头。",
        },
        "form.err.name_char": {
            "en": "{field}: “{char}” is not allowed; use letters, digits, - _ or .",
            "zh": "{field}：不能包含“{char}”；请使用文字、数字、- _ 或 .",
        },
        "form.err.name_taken": {
            "en": "{field}: a profile called {value} already exists.",
            "zh": "{field}：已有名为 {value} 的档案。",
        },
        "form.tier": {
            "en": "✓ Tier (R15): up to {cap} a day waived for {days} days.",
            "zh": "✓ 档位（R15）：每天最多免单 {cap}，共 {days} 天。",
        },
        "form.no_tier": {
            "en": "⚠ Below {minimum}: no spend waiver (R15); steps 1-2 can "
            "still be practised.",
            "zh": "⚠ 低于 {minimum}：无免单资格（R15），仍可练习第一、二步。",
        },
        "help.profiles.title": {"en": "Profiles", "zh": "档案管理"},
        "help.profiles": {
            "en": "Each profile is one trainee's saved progress. The list shows "
            "its stage, simulated time, activation deadline and waiver days; "
            "a damaged file says what is wrong.\n\n**Enter** opens the "
            "selected profile, **n** creates one, **d** deletes, **r** resets "
            "it to the start, **b** steps back one step (the clock never goes "
            "back). **Esc** returns.",
            "zh": "每个档案保存一位学员的进度。列表显示阶段、模拟时间、开启截止时间"
            "和免单天数；损坏的文件会说明问题所在。\n\n**回车** 打开所选档案，"
            "**n** 新建，**d** 删除，**r** 重置到开始，**b** 退回一步"
            "（模拟时钟不会倒退）。**Esc** 返回。",
        },
        "help.profile_form.title": {"en": "New profile", "zh": "新建档案"},
        "help.profile_form": {
            "en": "Amounts in CNY with at most 2 decimals; dates as "
            "YYYY-MM-DD. A field with a problem says what is wrong right "
            "below it. **Tab** moves between fields, **ctrl+s** or the "
            "button creates, **Esc** cancels. The simulated clock of the new "
            "profile starts at the current simulated time.",
            "zh": "金额以元为单位，最多两位小数；日期格式为 YYYY-MM-DD。"
            "字段有问题时，下方会立即说明原因。**Tab** 在字段间移动，"
            "**ctrl+s** 或按钮创建，**Esc** 取消。"
            "新档案的模拟时钟从当前模拟时间开始。",
        },
        "help.confirm.title": {"en": "Confirm", "zh": "确认"},
        "help.confirm": {
            "en": "**Enter** or the red button confirms; **Esc** cancels.",
            "zh": "**回车** 或红色按钮确认；**Esc** 取消。",
        },
    }
)


# ------------------------------------------------------------ field checks

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def amount_problem(value: str, field: str, lang: str) -> str | None:
    """Why `value` is not an amount in CNY (at most 2 decimals), or None."""
    text = value.strip().replace(",", "")
    if not text:
        return i18n.t("form.err.empty", lang, field=field)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        return i18n.t("form.err.amount", lang, field=field, value=value.strip())
    if amount < 0:
        return i18n.t("form.err.negative", lang, field=field)
    if amount != amount.quantize(Decimal("0.01")):
        return i18n.t("form.err.decimals", lang, field=field)
    if amount * 100 > 10**15:
        return i18n.t("form.err.large", lang, field=field)
    return None


def date_problem(value: str, field: str, lang: str) -> str | None:
    """Why `value` is not a YYYY-MM-DD date, or None."""
    text = value.strip()
    if not text:
        return i18n.t("form.err.empty", lang, field=field)
    if not _DATE.fullmatch(text):
        return i18n.t("form.err.date", lang, field=field)
    try:
        date.fromisoformat(text)
    except ValueError:
        return i18n.t("form.err.no_date", lang, field=field, value=text)
    return None


def name_problem(value: str, field: str, lang: str) -> str | None:
    """Why `value` cannot name a profile (the store's rule), or None."""
    if valid_profile_name(value) is None:
        return None
    if not value:
        return i18n.t("form.err.empty", lang, field=field)
    if len(value) > MAX_NAME_LEN:
        return i18n.t(
            "form.err.name_long", lang, field=field, max=MAX_NAME_LEN, count=len(value)
        )
    if value.startswith("."):
        return i18n.t("form.err.name_dot", lang, field=field)
    char = next(c for c in value if valid_profile_name("a" + c) is not None)
    shown = "space" if char == " " and lang == "en" else char
    shown = "空格" if char == " " and lang == "zh" else shown
    return i18n.t("form.err.name_char", lang, field=field, char=shown)


class _Check(Validator):
    """A Textual validator around one of the checks above."""

    def __init__(self, check: Callable[[str], str | None]) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        problem = self.check(value)
        return self.failure(problem) if problem else self.success()


# ------------------------------------------------------------------ modals

# Textual skips the app's own bindings while a modal screen is on top, so
# each dialog repeats F1 (help) and F2 (language).
MODAL_KEYS = [
    Binding("f1", "app.help_focused", "Help", id="help", show=False),
    Binding("f2", "app.switch_lang", "中文", id="lang", show=False),
]


class ConfirmModal(PlanModal):
    """Yes or no for something that cannot be undone; dismisses with it."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel"), *MODAL_KEYS]
    HELP_KEY = "confirm"

    def __init__(self, title: str, message: str, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="pf-dialog"):
            yield Static(self.title_text, classes="pf-dialog-title")
            yield Static(self.message, classes="pf-dialog-text")
            with Horizontal(classes="pf-dialog-buttons"):
                yield Button(self.confirm_label, id="confirm", variant="error")
                yield Button(self.t("cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)


FIELDS = ("name", "recharge", "payment_date", "first_p4p_date", "red_packet", "coupons")
FLAGS = ("other_promotion", "ran_p4p_before")


class MarkedCheckbox(Checkbox):
    """A Checkbox that shows ✓ when ticked, not only a colour."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # the name Textual reads
        return "✓" if self.value else " "


class NewProfileModal(PlanModal):
    """The form for a new profile. Each field is checked where it is typed;
    Create refuses until all are valid. Values live in `values`, so a
    language switch (which recomposes) keeps what was typed."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "create", "Create", id="create_profile"),
        *MODAL_KEYS,
    ]
    HELP_KEY = "profile_form"

    def __init__(self, today: date, taken: Callable[[str], bool]) -> None:
        super().__init__()
        self.taken = taken
        self.values: dict[str, Any] = {
            "name": "",
            "recharge": "30000",
            "payment_date": today.isoformat(),
            "first_p4p_date": today.isoformat(),
            "red_packet": "0",
            "coupons": "0",
            "other_promotion": False,
            "ran_p4p_before": False,
        }
        self.typed: set[str] = set()
        """Fields the trainee has typed in: their errors show at once."""

    def problem(self, key: str, value: str) -> str | None:
        field = self.t(f"form.{key}")
        lang = self.lang
        if key == "name":
            problem = name_problem(value, field, lang)
            if problem is None and self.taken(value):
                problem = self.t("form.err.name_taken", field=field, value=value)
            return problem
        if key.endswith("_date"):
            return date_problem(value, field, lang)
        return amount_problem(value, field, lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="pf-dialog", id="pf-form"):
            yield Static(self.t("form.title"), classes="pf-dialog-title")
            yield Static(self.t("form.intro"), classes="pf-dialog-text")
            with VerticalScroll(id="pf-fields"):
                for key in FIELDS:
                    with Horizontal(classes="pf-row"):
                        yield Static(self.t(f"form.{key}"), classes="pf-label")
                        yield Input(
                            str(self.values[key]),
                            id=f"in-{key}",
                            compact=True,
                            validators=[_Check(lambda v, k=key: self.problem(k, v))],
                            validate_on=["changed", "submitted"],
                        )
                    yield Static("", id=f"err-{key}", classes="pf-error")
                for key in FLAGS:
                    yield MarkedCheckbox(
                        self.t(f"form.{key}"),
                        bool(self.values[key]),
                        id=f"in-{key}",
                        compact=True,
                    )
            with Horizontal(classes="pf-dialog-buttons"):
                yield Button(self.t("form.create"), id="create", variant="primary")
                yield Button(self.t("cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()
        self.query_one("#in-name", Input).focus()

    def refresh_view(self) -> None:
        """Show each typed field's problem (again, in the current language)."""
        for key in FIELDS:
            self._show(key, key in self.typed)

    def _show(self, key: str, visible: bool) -> None:
        problem = self.problem(key, str(self.values[key]))
        label = self.query_one(f"#err-{key}", Static)
        if key == "recharge" and problem is None:
            label.update(Text(self._tier_hint()))
            label.set_class(False, "-bad")
            label.display = True
            return
        label.update(Text(f"✗ {problem}" if problem else ""))
        label.set_class(bool(problem), "-bad")
        label.display = bool(problem) and visible

    def _tier_hint(self) -> str:
        rules = self.engine.rules
        fen = money.parse_amount(self.values["recharge"], "recharge")
        tier = rules.tier_for(fen)
        if tier is None:
            return self.t(
                "form.no_tier", minimum=money.fmt_grouped(rules.tiers[0].recharge)
            )
        return self.t(
            "form.tier", cap=money.fmt_grouped(tier.daily_cap), days=tier.days
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("in-")
        if key in self.values:
            self.values[key] = event.value
            self.typed.add(key)
            self._show(key, True)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        key = (event.checkbox.id or "").removeprefix("in-")
        if key in self.values:
            self.values[key] = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_create(self) -> None:
        """Build the account, or say which fields stop it (nothing cleared)."""
        bad = [key for key in FIELDS if self.problem(key, str(self.values[key]))]
        if bad:
            self.typed.update(bad)
            self.refresh_view()
            sep = "、" if self.lang == "zh" else ", "
            fields = sep.join(self.t(f"form.{key}") for key in bad)
            self.notify(self.t("form.fix", fields=fields), severity="error")
            self.query_one(f"#in-{bad[0]}", Input).focus()
            return
        self.dismiss(self.account())

    def account(self) -> Account:
        values = self.values
        recharge = money.parse_amount(values["recharge"], "recharge")
        return Account(
            first_p4p_date=date.fromisoformat(values["first_p4p_date"].strip()),
            payment_date=date.fromisoformat(values["payment_date"].strip()),
            recharge=recharge,
            cash=recharge,
            red_packet=money.parse_amount(values["red_packet"], "red packet"),
            coupons=money.parse_amount(values["coupons"], "coupons"),
            other_promotion=bool(values["other_promotion"]),
            ran_p4p_before=bool(values["ran_p4p_before"]),
        )

    @property
    def new_name(self) -> str:
        return str(self.values["name"])


# ------------------------------------------------------------------ screen


class ProfilesScreen(PlanScreen):
    """The profile list and what can be done to a profile."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        # Enter on a row opens it too (DataTable.RowSelected).
        Binding("o", "open_profile", "Open", id="open_profile"),
        Binding("n", "new_profile", "New", id="new_profile"),
        Binding("d", "delete_profile", "Delete", id="delete_profile"),
        Binding("r", "reset_profile", "Reset", id="reset_profile"),
        Binding("b", "step_back", "Step back", id="step_back"),
    ]
    HELP_KEY = "profiles"

    def __init__(self) -> None:
        super().__init__()
        self.selected: str | None = None
        """Name of the highlighted profile; kept across refreshes."""
        self.profiles: dict[str, ProfileSummary] = {}

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Vertical(id="pf-body"):
            yield Static(self.t("pf.title"), classes="screen-title")
            table: DataTable[Text] = DataTable(id="pf-table", cursor_type="row")
            yield table
            yield Static("", id="pf-detail")
            with Horizontal(id="pf-buttons"):
                for action in ("open", "new", "delete", "reset", "step_back"):
                    yield Button(self.t(f"pf.{action}"), id=f"pf-{action}")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()
        self.query_one(DataTable).focus()

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return None if self.plan_app.demo else self.plan_app.store

    def refresh_view(self) -> None:
        """Re-read the folder and rebuild the rows, keeping the selection."""
        table = self.query_one("#pf-table", DataTable)
        table.clear(columns=True)
        for key in ("name", "stage", "clock", "deadline", "days"):
            table.add_column(self.t(f"pf.col.{key}"), key=key)
        self.profiles = {}
        if self.store is not None:
            try:
                listed = self.store.list()
            except StoreError as error:
                self.notify(str(error), severity="error")
                listed = []
            self.profiles = {entry.name: entry for entry in listed}
        current = self.session.name
        for name, entry in self.profiles.items():
            summary = self._summary(entry)
            mark = "● " if name == current else "  "
            if entry.problem:
                stage = self.t("pf.stage.damaged")
            else:
                stage = self.t(f"pf.stage.{summary.get('stage', 'unknown')}")
            days = summary.get("days")
            table.add_row(
                Text(mark + name),
                Text(stage),
                Text(_when(summary.get("clock"))),
                Text(_when(summary.get("deadline"))[:10]),
                Text(f"{summary.get('days_used', 0)} / {days}" if days else "—"),
                key=name,
            )
        if self.selected not in self.profiles:
            self.selected = current if current in self.profiles else None
        if self.selected is not None:
            table.move_cursor(row=table.get_row_index(self.selected))
        elif self.profiles:
            self.selected = next(iter(self.profiles))
        self._show_detail()

    def _summary(self, entry: ProfileSummary) -> dict[str, Any]:
        if entry.name == self.session.name and not entry.problem:
            return self.session.summary()  # live, not what was last saved
        return entry.summary or {}

    def _show_detail(self) -> None:
        detail = self.query_one("#pf-detail", Static)
        if self.store is None:
            detail.update(Text(self.t("pf.demo")))
            return
        entry = self.profiles.get(self.selected or "")
        if entry is None:
            detail.update(Text(self.t("pf.empty")))
            return
        head = Text(entry.name, style="bold")
        if entry.name == self.session.name:
            head.append(f"  {self.t('pf.current')}")
        if entry.problem:
            body = self.t("pf.problem", problem=entry.problem)
        else:
            summary = self._summary(entry)
            stage = summary.get("stage", "unknown")
            days = summary.get("days")
            body = self.t(
                "pf.detail",
                stage=self.t(f"stage.{stage}"),
                clock=_when(summary.get("clock")),
                deadline=_when(summary.get("deadline")),
                days=f"{summary.get('days_used', 0)} / {days}" if days else "—",
            )
        head.append(f"\n{body}\n{self.t('pf.file', path=entry.path.name)}")
        detail.update(head)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.selected = event.row_key.value
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.selected = event.row_key.value
        self.action_open_profile()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        action = (event.button.id or "").removeprefix("pf-")
        if action == "open":
            action = "open_profile"
        elif action in ("new", "delete", "reset"):
            action = f"{action}_profile"
        getattr(self, f"action_{action}")()

    # ------------------------------------------------------------- actions

    def _target(self) -> str | None:
        if self.store is None:
            self.notify(self.t("pf.demo"), severity="warning")
            return None
        if self.selected is None or self.selected not in self.profiles:
            self.notify(self.t("pf.no_selection"), severity="warning")
            return None
        return self.selected

    def action_open_profile(self) -> None:
        name = self._target()
        if name is None:
            return
        if name == self.session.name:
            self.notify(self.t("pf.already_open", name=name))
            return
        session = self._open(name)
        if session is not None:
            switch_to(self.plan_app, session)

    def _open(self, name: str, *, for_change: bool = False) -> Session | None:
        """Open another profile; a locked one read-only (not for a change)."""
        store = self.store
        rules_path = self.session.rules_path
        try:
            return Session.open(store, name, rules_path=rules_path)
        except ProfileLocked as error:
            if for_change:
                self.notify(str(error), severity="error", timeout=10)
                return None
            try:
                session = Session.open(
                    store, name, rules_path=rules_path, read_only=True
                )
            except (StoreError, InputError) as again:
                self._failed(name, again)
                return None
            session.notice = self.t("pf.read_only", error=error)
            return session
        except (StoreError, InputError) as error:
            self._failed(name, error)
            return None

    def _failed(self, name: str, error: Exception) -> None:
        self.notify(
            self.t("pf.failed", name=name, error=error), severity="error", timeout=10
        )

    def action_new_profile(self) -> None:
        if self.store is None:
            self.notify(self.t("pf.demo"), severity="warning")
            return
        store = self.store
        from app.core import timeutil

        today = timeutil.to_bj(self.engine.clock).date()
        modal = NewProfileModal(today, lambda name: _exists(store, name))

        def created(account: Account | None) -> None:
            if account is None:
                return
            name = modal.new_name
            try:
                session = Session.open(
                    store,
                    name,
                    rules_path=self.session.rules_path,
                    account=account,
                    clock=self.engine.clock,
                )
            except (StoreError, InputError) as error:
                self._failed(name, error)
                return
            session.close()
            self.selected = name
            self.refresh_view()
            self.notify(self.t("pf.created", name=name))

        self.app.push_screen(modal, created)

    def action_delete_profile(self) -> None:
        name = self._target()
        if name is None:
            return
        if name == self.session.name:
            self.notify(self.t("pf.delete_open", name=name), severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete(name)
            except StoreError as error:
                self.notify(str(error), severity="error", timeout=10)
                return
            self.selected = None
            self.refresh_view()
            self.notify(self.t("pf.deleted", name=name))

        self.app.push_screen(
            ConfirmModal(
                self.t("pf.confirm_delete.title"),
                self.t("pf.confirm_delete", name=name),
                self.t("pf.delete").rstrip("…"),
            ),
            confirmed,
        )

    def action_reset_profile(self) -> None:
        self._change("reset")

    def action_step_back(self) -> None:
        self._change("step_back")

    def _change(self, how: str) -> None:
        """Reset or step back the selected profile, after a confirmation."""
        name = self._target()
        if name is None:
            return
        entry = self.profiles[name]
        if entry.problem:
            self.notify(self.t("pf.damaged_change", name=name), severity="warning")
            return
        current = name == self.session.name
        if current and not self.session.saving and not self.plan_app.demo:
            self.notify(self.t("pf.read_only_change", name=name), severity="warning")
            return
        summary = self._summary(entry)
        stage = summary.get("stage", "unknown")
        if how == "step_back" and stage in ("self_test", "ineligible"):
            self.notify(self.t("pf.nothing_back", name=name), severity="warning")
            return
        if how == "reset":
            title = self.t("pf.confirm_reset.title")
            text = self.t(
                "pf.confirm_reset",
                name=name,
                clock=_when(summary.get("clock")),
                deadline=_when(summary.get("deadline")),
            )
        else:
            title = self.t("pf.confirm_back.title")
            text = self.t("pf.confirm_back", name=name, stage=self.t(f"stage.{stage}"))
        label = self.t(f"pf.{how}").rstrip("…")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._apply(name, how)

        self.app.push_screen(ConfirmModal(title, text, label), confirmed)

    def _apply(self, name: str, how: str) -> None:
        current = name == self.session.name
        session = self.session if current else self._open(name, for_change=True)
        if session is None:
            return
        try:
            before = self.t(f"stage.{session.engine.stage}")
            try:
                if how == "reset":
                    session.reset()
                else:
                    session.step_back()
            except InputError:
                self.notify(self.t("pf.nothing_back", name=name), severity="warning")
                return
            after = self.t(f"stage.{session.engine.stage}")
            if current:
                self.plan_app.changed()
            else:
                error = session.save()
                if error:
                    self.notify(error, severity="error", timeout=10)
        finally:
            if not current:
                session.close()
        if how == "reset":
            self.notify(self.t("pf.was_reset", name=name, stage=after))
            if current:
                # Back to the very start: Marketing Center and the popup (R3).
                switch_to(self.plan_app, session)
                return
        else:
            self.notify(
                self.t("pf.stepped_back", name=name, before=before, after=after)
            )
        self.refresh_view()


def _exists(store, name: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(store.exists(name))
    except StoreError:
        return False


def _when(iso: object) -> str:
    """`2026-07-01T09:00:00+08:00` -> `2026-07-01 09:00` (Beijing)."""
    if not isinstance(iso, str) or len(iso) < 16:
        return "—"
    return iso[:10] + " " + iso[11:16]


def switch_to(app, session: Session) -> None:  # type: ignore[no-untyped-def]
    """Put `session` on Marketing Center and remember it for the next start."""
    from app.commands.tui import _remember
    from app.tui.screens.scenarios import use_session

    use_session(app, session, False)
    if session.notice:
        app.notify(session.notice, severity="warning", timeout=12)
    if app.store is not None and session.saving:
        _remember(app.store, session.name)

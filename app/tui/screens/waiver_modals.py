"""Dialogs of the waiver screen: confirm activation, top up, jump the clock
to a date, set the feed's daily budget. Forms name the field that is wrong
and say how to write it; nothing changes until every field is valid."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from app.core import i18n, money, timeutil
from app.core.errors import InputError
from app.tui.base import PlanModal

i18n.register(
    {
        "act.title": {"en": "Activate the spend waiver?", "zh": "确认开启新手免单？"},
        "act.body": {
            "en": "Waiver day 1 is the P4P day that is open now: from {start} to "
            "{end} (Beijing time). It is settled at {end}, and everything spent "
            "in it counts, spend before this moment included (R16).\n\n"
            "Then {days} P4P days in a row, each waiving up to {cap}; a day "
            "with no spend is used up all the same (R18). The last waiver day "
            "ends at {last_end}.\n\n"
            "While the waiver runs, coupons and vouchers are paused (R19): "
            "{coupons} in coupons wait until it ends.",
            "zh": "免单第 1 天就是当前这个直通车日：{start} 至 {end}（北京时间）。"
            "它在 {end} 结算，其中的全部消耗都计入，包括此刻之前的消耗（R16）。\n\n"
            "之后连续 {days} 个直通车日，每天免单上限 {cap}；没有消耗的日子同样"
            "计为已用（R18）。最后一个免单日在 {last_end} 结束。\n\n"
            "免单期间不能使用优惠卡券（R19）：现有 {coupons} 的卡券将在免单结束后"
            "才能使用。",
        },
        "act.confirm": {"en": "Activate", "zh": "开启免单"},
        "act.done": {
            "en": "▶ Waiver activated. Day 1 is settled at {end}.",
            "zh": "▶ 新手免单已开启。第 1 天在 {end} 结算。",
        },
        "act.refused": {"en": "Not activated: {reason}", "zh": "未能开启：{reason}"},
        "top.title": {"en": "Top up the ad account", "zh": "为广告帐户充值"},
        "top.body": {
            "en": "Amounts in CNY; leave a field empty for 0. A top-up never "
            "changes the tier (R15).",
            "zh": "金额单位为元；不充值的项可留空。充值不改变免单档位（R15）。",
        },
        "top.cash": {"en": "Cash", "zh": "现金"},
        "top.red_packet": {"en": "Red packet", "zh": "红包"},
        "top.coupons": {"en": "Coupons", "zh": "优惠卡券"},
        "top.confirm": {"en": "Top up", "zh": "充值"},
        "top.done": {
            "en": "Topped up: cash {cash}, red packet {red_packet}, coupons {coupons}.",
            "zh": "已充值：现金 {cash}，红包 {red_packet}，优惠卡券 {coupons}。",
        },
        "form.bad_amount": {
            "en": "{field}: {value!r} is not an amount; write CNY like 150.00 "
            "(not negative, at most 2 decimals).",
            "zh": "{field}：{value!r} 不是有效金额；请按 150.00 的格式填写"
            "（不能为负，最多两位小数）。",
        },
        "form.too_large": {
            "en": "{field}: at most {limit} in one go.",
            "zh": "{field}：单次最多 {limit}。",
        },
        "form.nothing": {
            "en": "Enter an amount above 0 in at least one field.",
            "zh": "请至少在一项中填写大于 0 的金额。",
        },
        "jump.title": {"en": "Move the clock to a date", "zh": "把时钟移到指定时间"},
        "jump.body": {
            "en": "Beijing time, e.g. {example}. Clicks on the way are simulated "
            "and every cutoff passed is settled. Now: {clock}.",
            "zh": "北京时间，例如 {example}。途中的点击都会模拟，经过的每次结算"
            "都会执行。当前：{clock}。",
        },
        "jump.field": {"en": "Date and time", "zh": "日期时间"},
        "jump.bad": {
            "en": "{field}: {value!r} is not a time; write 2026-07-15 16:00 or "
            "2026-07-15.",
            "zh": "{field}：{value!r} 不是有效时间；请写成 2026-07-15 16:00 或 "
            "2026-07-15。",
        },
        "jump.confirm": {"en": "Move the clock", "zh": "移动时钟"},
        "budget.title": {"en": "Spend feed settings", "zh": "推广消耗设置"},
        "budget.body": {
            "en": "Ads stop for the rest of a P4P day once its spend reaches the "
            "budget. The seed fixes the simulated clicks: the same seed gives "
            "the same clicks.",
            "zh": "当天消耗达到预算后，广告在该直通车日余下时间暂停投放。随机种子"
            "决定模拟点击：相同的种子产生相同的点击。",
        },
        "budget.field": {"en": "Daily budget (CNY)", "zh": "每日预算（元）"},
        "budget.seed": {"en": "Seed", "zh": "随机种子"},
        "budget.bad_seed": {
            "en": "{field}: {value!r} is not a whole number 0 or more.",
            "zh": "{field}：{value!r} 不是大于等于 0 的整数。",
        },
        "budget.zero": {
            "en": "{field}: must be above 0 (pause the feed to stop the ads).",
            "zh": "{field}：须大于 0（要停止投放请暂停推广）。",
        },
        "budget.confirm": {"en": "Save", "zh": "保存"},
        "key.form_cancel": {"en": "Cancel", "zh": "取消"},
        "key.form_submit": {"en": "Confirm", "zh": "确认"},
        "help.waiver.activate.title": {"en": "Activate", "zh": "开启免单"},
        "help.waiver.activate": {
            "en": "Activation starts the waiver from the P4P day that is open "
            "now (R16). Days then run in a row whether or not there is spend "
            "(R18), and coupons pause until the waiver ends (R19).",
            "zh": "开启后，免单从当前这个直通车日开始计算（R16）。之后无论有无消耗，"
            "免单日都会连续计算（R18），免单期间优惠卡券暂停使用（R19）。",
        },
        "help.waiver.form.title": {"en": "Forms", "zh": "表单"},
        "help.waiver.form": {
            "en": "Fill the fields and press Enter or the button; Escape "
            "cancels. A field that cannot be read is named with how to "
            "write it.",
            "zh": "填写后按 Enter 或点击按钮提交；按 Escape 取消。无法识别的字段"
            "会被指出并给出正确写法。",
        },
    }
)

#: A single top-up above this (CNY 10 million) is refused as a typo.
TOP_UP_LIMIT = 10_000_000 * 100


class _Dialog(PlanModal):
    """A titled dialog with a body, an error line and two buttons."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/waiver.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form_cancel")]
    HELP_KEY = "waiver.form"

    def action_cancel(self) -> None:
        self.dismiss(None)

    def buttons(self, confirm: str) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(self.t(confirm), id="confirm", variant="primary")
            yield Button(self.t("cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def show_errors(self, errors: list[str]) -> None:
        box = self.query_one("#dialog-error", Static)
        box.update(Text("\n".join(f"✗ {error}" for error in errors)))
        box.display = bool(errors)

    def refresh_view(self) -> None:
        """Forms keep what was typed: nothing to rebuild on a state change."""


class ActivateConfirm(_Dialog):
    """Says when waiver day 1 starts and ends before activating."""

    HELP_KEY = "waiver.activate"

    def compose(self) -> ComposeResult:
        engine = self.engine
        rules = engine.rules
        start = rules.prev_cutoff(engine.clock)
        end = rules.next_cutoff(engine.clock)
        tier = engine.tier
        days = tier.days if tier else 0
        last_end = end
        for _ in range(days - 1):
            last_end = rules.next_cutoff(last_end)
        with Vertical(classes="dialog"):
            yield Static(self.t("act.title"), classes="dialog-title")
            yield Static(
                self.t(
                    "act.body",
                    start=timeutil.show(start),
                    end=timeutil.show(end),
                    days=days,
                    cap=money.fmt_grouped(tier.daily_cap if tier else 0),
                    last_end=timeutil.show(last_end),
                    coupons=money.fmt_grouped(engine.coupons),
                ),
                id="act-body",
            )
            yield Static(id="dialog-error", classes="dialog-error")
            yield from self.buttons("act.confirm")

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.query_one("#confirm", Button).focus()

    def submit(self) -> None:
        engine = self.engine
        refusal = engine.activate()
        self.plan_app.changed()
        if refusal is not None:
            self.plan_app.notify(
                self.t("act.refused", reason=refusal.message(self.lang)),
                severity="error",
                timeout=8,
            )
        else:
            end = engine.rules.next_cutoff(engine.clock)
            self.plan_app.notify(self.t("act.done", end=timeutil.show(end)))
        self.dismiss(refusal is None)


def read_amount(value: str, field: str, lang: str) -> tuple[int, str | None]:
    """A form's CNY amount in fen, or an error naming `field`."""
    text = value.strip()
    if not text:
        return 0, None
    try:
        fen = money.parse_amount(text, field)
    except InputError:
        return 0, i18n.t("form.bad_amount", lang, field=field, value=text)
    if fen > TOP_UP_LIMIT:
        limit = money.fmt_grouped(TOP_UP_LIMIT)
        return 0, i18n.t("form.too_large", lang, field=field, limit=limit)
    return fen, None


class TopUpForm(_Dialog):
    """Cash, red packet and coupons, each validated on its own."""

    FIELDS = ("cash", "red_packet", "coupons")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.t("top.title"), classes="dialog-title")
            yield Static(self.t("top.body"))
            for name in self.FIELDS:
                with Horizontal(classes="field"):
                    yield Label(self.t(f"top.{name}"), classes="field-label")
                    yield Input(placeholder="0.00", id=f"top-{name}")
            yield Static(id="dialog-error", classes="dialog-error")
            yield from self.buttons("top.confirm")

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.query_one("#top-cash", Input).focus()

    def submit(self) -> None:
        amounts: dict[str, int] = {}
        errors = []
        for name in self.FIELDS:
            value = self.query_one(f"#top-{name}", Input).value
            fen, error = read_amount(value, self.t(f"top.{name}"), self.lang)
            amounts[name] = fen
            if error:
                errors.append(error)
        if not errors and not any(amounts.values()):
            errors.append(self.t("form.nothing"))
        self.show_errors(errors)
        if errors:
            return
        self.plan_app.feed.top_up(**amounts)
        self.plan_app.notify(
            self.t("top.done", **{k: money.fmt_grouped(v) for k, v in amounts.items()})
        )
        self.dismiss(amounts)


class JumpToDateForm(_Dialog):
    """A time to move the clock to (forward only, bounded)."""

    def compose(self) -> ComposeResult:
        clock = self.engine.clock
        example = timeutil.show(self.engine.rules.next_cutoff(clock + 86400))
        with Vertical(classes="dialog"):
            yield Static(self.t("jump.title"), classes="dialog-title")
            yield Static(
                self.t("jump.body", example=example, clock=timeutil.show(clock))
            )
            with Horizontal(classes="field"):
                yield Label(self.t("jump.field"), classes="field-label")
                yield Input(value=example, id="jump-when")
            yield Static(id="dialog-error", classes="dialog-error")
            yield from self.buttons("jump.confirm")

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.query_one("#jump-when", Input).focus()

    def submit(self) -> None:
        value = self.query_one("#jump-when", Input).value.strip()
        field = self.t("jump.field")
        try:
            target = timeutil.parse_time(value, field)
        except InputError:
            target = _out_of_range(value, field)
            if target is None:
                self.show_errors([self.t("jump.bad", field=field, value=value)])
                return
        problem = self.plan_app.feed.validate_jump(target)
        if problem:
            self.show_errors([f"{field}: {problem}"])
            return
        self.dismiss(target)
        self.plan_app.feed.jump_to(target)


def _out_of_range(value: str, field: str) -> int | None:
    """A well-formed time outside the simulated calendar (validate_jump
    then says which end it passed), or None when `value` is no time."""
    try:
        return timeutil._parse_time(value, field)
    except (InputError, OverflowError):
        return None


class BudgetForm(_Dialog):
    """The feed's daily budget and seed."""

    def compose(self) -> ComposeResult:
        settings = self.plan_app.feed.settings
        with Vertical(classes="dialog"):
            yield Static(self.t("budget.title"), classes="dialog-title")
            yield Static(self.t("budget.body"))
            with Horizontal(classes="field"):
                yield Label(self.t("budget.field"), classes="field-label")
                yield Input(value=money.fmt(settings.budget), id="budget-amount")
            with Horizontal(classes="field"):
                yield Label(self.t("budget.seed"), classes="field-label")
                yield Input(value=str(settings.seed), id="budget-seed")
            yield Static(id="dialog-error", classes="dialog-error")
            yield from self.buttons("budget.confirm")

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.query_one("#budget-amount", Input).focus()

    def submit(self) -> None:
        errors = []
        field = self.t("budget.field")
        value = self.query_one("#budget-amount", Input).value.strip()
        budget, error = read_amount(value, field, self.lang)
        if error:
            errors.append(error)
        elif budget <= 0:
            errors.append(self.t("budget.zero", field=field))
        seed_field = self.t("budget.seed")
        seed_text = self.query_one("#budget-seed", Input).value.strip()
        digits = seed_text.isascii() and seed_text.isdigit() and len(seed_text) < 10
        seed = int(seed_text) if digits else None
        if seed is None:
            errors.append(self.t("budget.bad_seed", field=seed_field, value=seed_text))
        self.show_errors(errors)
        if errors:
            return
        self.plan_app.feed.set_budget(budget, seed)
        self.dismiss((budget, seed))

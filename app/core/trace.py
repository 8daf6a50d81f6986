"""The rule trace: every rule that decides the account's current state, with
its value, what it requires, and whether it holds.

Pure: it reads an `Engine` and returns rows; the TUI panel only renders them.
A tester reads it to see at once why something is or is not allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core import i18n, money, status, timeutil
from app.core.engine import Engine

#: state -> symbol. Status is never told by colour alone (tui-conventions).
SYMBOL = {
    "met": "✓",
    "not_met": "✗",
    "locked": "⊘",
    "running": "▶",
    "warning": "⚠",
    "na": "–",
}

i18n.register(
    {
        "trace.title": {"en": "Rule trace", "zh": "规则追踪"},
        "trace.state.met": {"en": "met", "zh": "满足"},
        "trace.state.not_met": {"en": "not met", "zh": "不满足"},
        "trace.state.locked": {"en": "locked", "zh": "未解锁"},
        "trace.state.running": {"en": "running", "zh": "进行中"},
        "trace.state.warning": {"en": "warning", "zh": "注意"},
        "trace.state.na": {"en": "n/a", "zh": "不适用"},
        "trace.needs": {"en": "needs", "zh": "要求"},
        "trace.eligibility": {"en": "Eligibility", "zh": "参加资格"},
        "trace.eligibility.value": {
            "en": "first P4P {date}{returning}",
            "zh": "首次开通直通车 {date}{returning}",
        },
        "trace.eligibility.returning": {
            "en": ", ran P4P before",
            "zh": "，曾开通过直通车",
        },
        "trace.eligibility.needs": {
            "en": "first time, on or after {start}",
            "zh": "首次开通，且不早于 {start}",
        },
        "trace.other_promotion": {"en": "Other promotion", "zh": "其他促销"},
        "trace.other_promotion.yes": {"en": "enrolled", "zh": "已参加"},
        "trace.other_promotion.no": {"en": "none", "zh": "未参加"},
        "trace.other_promotion.needs": {
            "en": "none, to activate",
            "zh": "开启免单时不得参加",
        },
        "trace.other_promotion.allowed": {
            "en": "allowed by this rule file",
            "zh": "本规则文件允许叠加",
        },
        "trace.pass_mark": {"en": "Self-test pass mark", "zh": "自测及格线"},
        "trace.pass_mark.value": {
            "en": "best {best} ({attempts} attempt(s))",
            "zh": "最高 {best} 分（共 {attempts} 次）",
        },
        "trace.pass_mark.none": {"en": "not taken yet", "zh": "尚未参加"},
        "trace.task.info_score": {"en": "Info display score", "zh": "信息展示分"},
        "trace.task.products": {"en": "Products in promotion", "zh": "推广中产品"},
        "trace.task.keywords": {"en": "Keywords in promotion", "zh": "推广中关键词"},
        "trace.live": {"en": "Tasks judged live", "zh": "任务实时判定"},
        "trace.live.value": {"en": "{met} of 3 met now", "zh": "当前达标 {met}/3"},
        "trace.live.kept": {
            "en": "kept: waiver active",
            "zh": "已保留：免单已开启",
        },
        "trace.live.needs": {
            "en": "all 3 until activation",
            "zh": "开启前三项须同时达标",
        },
        "trace.tier": {"en": "Tier", "zh": "档位"},
        "trace.tier.value": {
            "en": "recharge {recharge}: cap {cap} × {days} days",
            "zh": "充值 {recharge}：每日上限 {cap} × {days} 天",
        },
        "trace.tier.none": {
            "en": "recharge {recharge}: no tier",
            "zh": "充值 {recharge}：无对应档位",
        },
        "trace.tier.needs": {"en": "≥ {minimum}", "zh": "≥ {minimum}"},
        "trace.deadline": {"en": "Activation deadline", "zh": "开启截止"},
        "trace.deadline.value": {
            "en": "{left} left",
            "zh": "剩余 {left}",
        },
        "trace.deadline.done": {
            "en": "activated {at}",
            "zh": "已于 {at} 开启",
        },
        "trace.deadline.needs": {"en": "by {deadline}", "zh": "{deadline} 前"},
        "trace.payment": {"en": "Payment arrived", "zh": "直通车到款"},
        "trace.payment.value": {"en": "paid {date}", "zh": "到款日 {date}"},
        "trace.payment.needs": {"en": "clock on or after it", "zh": "不早于到款日"},
        "trace.activation": {"en": "Activation", "zh": "开启免单"},
        "trace.activation.active": {"en": "active since {at}", "zh": "{at} 已开启"},
        "trace.activation.allowed": {"en": "allowed now", "zh": "现在可开启"},
        "trace.activation.refused": {
            "en": "refused by {rule}: {reason}",
            "zh": "受 {rule} 限制：{reason}",
        },
        "trace.activation.needs": {
            "en": "steps 1-2 done, in time",
            "zh": "完成前两步且未过截止",
        },
        "trace.start": {"en": "Waiver starts", "zh": "免单起算"},
        "trace.start.value": {
            "en": "day 1 = {start} to {end}",
            "zh": "第 1 天 = {start} 至 {end}",
        },
        "trace.start.pending": {"en": "not activated", "zh": "尚未开启"},
        "trace.start.needs": {
            "en": "next deduction after activation",
            "zh": "开启后的下一次扣款起",
        },
        "trace.days": {"en": "Waiver days", "zh": "免单天数"},
        "trace.days.value": {
            "en": "{used} of {days} used, {left} left",
            "zh": "已用 {used}/{days} 天，剩 {left} 天",
        },
        "trace.days.needs": {
            "en": "consecutive, spend or not",
            "zh": "连续计算，无消耗也计天",
        },
        "trace.cap": {"en": "Today's cap", "zh": "今日免单上限"},
        "trace.cap.value": {
            "en": "day {day}: held {held} of {cap}",
            "zh": "第 {day} 天：已冻结 {held} / {cap}",
        },
        "trace.cap.off": {
            "en": "not a waiver day",
            "zh": "今日不是免单日",
        },
        "trace.cap.needs": {
            "en": "over the cap is charged",
            "zh": "超出上限部分正常扣费",
        },
        "trace.coupons": {"en": "Coupons", "zh": "优惠卡券"},
        "trace.coupons.value": {"en": "balance {coupons}", "zh": "余额 {coupons}"},
        "trace.coupons.needs": {
            "en": "unusable during the waiver",
            "zh": "免单期间不可使用",
        },
        "trace.online": {"en": "Ads online", "zh": "广告在线"},
        "trace.online.value": {
            "en": "can still serve {available}",
            "zh": "可用余额 {available}",
        },
        "trace.online.needs": {
            "en": "cash + red packet - held > 0",
            "zh": "现金 + 红包 - 冻结 > 0",
        },
    }
)


@dataclass(frozen=True)
class TraceRow:
    """One rule as it stands now. `label`, `value` and `required` are in the
    language asked for; `state` is a key of `SYMBOL`."""

    rule: str
    key: str
    label: str
    value: str
    required: str
    state: str

    @property
    def symbol(self) -> str:
        return SYMBOL[self.state]

    def word(self, lang: str) -> str:
        return i18n.t(f"trace.state.{self.state}", lang)


def _met(flag: bool) -> str:
    return "met" if flag else "not_met"


def trace(engine: Engine, lang: str) -> list[TraceRow]:
    """The rules deciding the current state, in the plan's order."""
    rules = engine.rules
    account = engine.account
    rows: list[TraceRow] = []

    def add(rule: str, key: str, value: str, required: str, state: str) -> None:
        label = i18n.t(f"trace.{key}", lang)
        rows.append(TraceRow(rule, key, label, value, required, state))

    def tr(key: str, **values: object) -> str:
        return i18n.t(f"trace.{key}", lang, **values)

    returning = tr("eligibility.returning") if account.ran_p4p_before else ""
    add(
        "R1",
        "eligibility",
        tr("eligibility.value", date=account.first_p4p_date, returning=returning),
        tr("eligibility.needs", start=rules.campaign_start),
        _met(engine.eligible),
    )

    enrolled = account.other_promotion
    blocks = enrolled and rules.other_promotion == "learn_only"
    add(
        "R2",
        "other_promotion",
        tr("other_promotion.yes" if enrolled else "other_promotion.no"),
        tr(
            "other_promotion.needs"
            if rules.other_promotion == "learn_only"
            else "other_promotion.allowed"
        ),
        _met(not blocks),
    )

    if engine.best_score is None:
        pass_value = tr("pass_mark.none")
    else:
        pass_value = tr(
            "pass_mark.value", best=engine.best_score, attempts=len(engine.attempts)
        )
    add(
        "R5",
        "pass_mark",
        pass_value,
        f"≥ {rules.pass_mark}",
        _met(engine.self_test_passed),
    )

    for rule, key in (("R7", "info_score"), ("R8", "products"), ("R9", "keywords")):
        value, required, met = engine.task_status()[key]
        if key == "info_score":
            shown, needed = f"{value / 100:.1f}", f"≥ {required / 100:.1f}"
        else:
            shown, needed = str(value), f"≥ {required}"
        add(rule, f"task.{key}", shown, needed, _met(met))

    met_count = sum(1 for _, _, met in engine.task_status().values() if met)
    active = engine.activated_at is not None
    add(
        "R11",
        "live",
        tr("live.kept") if active else tr("live.value", met=met_count),
        tr("live.needs"),
        "met" if active or engine.tasks_met else "not_met",
    )

    tier = engine.tier
    recharge = money.fmt_grouped(account.recharge)
    if tier is None:
        tier_value = tr("tier.none", recharge=recharge)
    else:
        tier_value = tr(
            "tier.value",
            recharge=recharge,
            cap=money.fmt_grouped(tier.daily_cap),
            days=tier.days,
        )
    add(
        "R15",
        "tier",
        tier_value,
        tr("tier.needs", minimum=money.fmt_grouped(rules.tiers[0].recharge)),
        _met(tier is not None),
    )

    paid = engine.clock >= engine.payment_arrives
    add(
        "R13",
        "payment",
        tr("payment.value", date=account.payment_date),
        tr("payment.needs"),
        _met(paid),
    )

    left = engine.deadline - engine.clock
    if active:
        assert engine.activated_at is not None
        deadline_value = tr("deadline.done", at=timeutil.show(engine.activated_at))
        deadline_state = _met(engine.activated_at <= engine.deadline)
    else:
        deadline_value = tr("deadline.value", left=status.countdown(left, lang))
        if left < 0:
            deadline_state = "not_met"
        elif left < 3 * 86400:
            deadline_state = "warning"
        else:
            deadline_state = "running"
    add(
        "R13",
        "deadline",
        deadline_value,
        tr("deadline.needs", deadline=timeutil.show(engine.deadline, seconds=True)),
        deadline_state,
    )

    if active:
        assert engine.activated_at is not None
        activation_value = tr(
            "activation.active", at=timeutil.show(engine.activated_at)
        )
        activation_state = "met"
    else:
        refusal = engine.activation_check()
        if refusal is None:
            activation_value = tr("activation.allowed")
            activation_state = "met"
        else:
            activation_value = tr(
                "activation.refused",
                rule=status.REFUSAL_RULE.get(refusal.code, "R12"),
                reason=refusal.message(lang),
            )
            activation_state = "locked"
    add("R12", "activation", activation_value, tr("activation.needs"), activation_state)

    window = engine.waiver_day_window(1)
    if window is None:
        start_value, start_state = tr("start.pending"), "na"
    else:
        start_value = tr(
            "start.value",
            start=timeutil.show(window[0]),
            end=timeutil.show(window[1]),
        )
        start_state = "met"
    add("R16", "start", start_value, tr("start.needs"), start_state)

    if tier is None:
        days_value, days_state = "-", "na"
    else:
        days_left = engine.days_left
        days_value = tr(
            "days.value", used=engine.days_used, days=tier.days, left=days_left
        )
        if engine.stage == "finished":
            days_state = "met"
        elif active:
            days_state = "running"
        else:
            days_state = "na"
    add("R18", "days", days_value, tr("days.needs"), days_state)

    day = engine.open_waiver_day
    if day is None or tier is None:
        cap_value, cap_needs, cap_state = tr("cap.off"), tr("cap.needs"), "na"
    else:
        cap_value = tr(
            "cap.value",
            day=day,
            held=money.fmt_grouped(engine.held),
            cap=money.fmt_grouped(tier.daily_cap),
        )
        cap_needs = tr("cap.needs")
        cap_state = "warning" if engine.held > tier.daily_cap else "running"
    add("R17", "cap", cap_value, cap_needs, cap_state)

    add(
        "R19",
        "coupons",
        tr("coupons.value", coupons=money.fmt_grouped(engine.coupons)),
        tr("coupons.needs"),
        "locked" if day is not None else "met",
    )

    add(
        "R21",
        "online",
        tr("online.value", available=money.fmt_grouped(max(engine.available, 0))),
        tr("online.needs"),
        _met(engine.ads_online),
    )
    return rows

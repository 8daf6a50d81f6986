"""The plan's status in words: which step, what to do next, how long is
left. One source for the popup, the Marketing Center banner and the P4P home
popup (R22), and for `growth-plan status`."""

from __future__ import annotations

from dataclasses import dataclass

from app.core import i18n, money, timeutil
from app.core.engine import Engine

i18n.register(
    {
        "next.ineligible": {
            "en": "This account cannot join the plan; the steps can still be "
            "practised.",
            "zh": "该帐户不能参加本计划，但仍可练习各个步骤。",
        },
        "next.self_test": {
            "en": "Take the self-test and score {pass_mark} or more.",
            "zh": "参加新手自测，得分需达到 {pass_mark} 分及以上。",
        },
        "next.tasks": {
            "en": "Meet the three tasks: {missing}.",
            "zh": "完成三项新手任务，尚未达标：{missing}。",
        },
        "next.ready": {
            "en": "Activate the spend waiver before the deadline.",
            "zh": "请在截止时间前开启新手免单。",
        },
        "next.ready_refused": {
            "en": "Tasks are met, but activation is refused: {reason}",
            "zh": "任务已达标，但无法开启免单：{reason}",
        },
        "next.waiver": {
            "en": "Waiver day {day} of {days}: spend up to {cap} today is free.",
            "zh": "免单第 {day}/{days} 天：今日消耗 {cap} 以内全部免单。",
        },
        "next.finished": {
            "en": "All {days} waiver days are used; spend is now charged normally.",
            "zh": "{days} 个免单日已全部用完，之后的消耗按正常规则扣费。",
        },
        "next.lapsed": {
            "en": "The deadline passed before activation: the waiver has lapsed.",
            "zh": "截止时间前未开启免单，免单资格已失效。",
        },
        "countdown": {"en": "{d}d {h}h {m}m", "zh": "{d}天{h}小时{m}分"},
        "countdown.past": {"en": "passed", "zh": "已过期"},
        "step.1": {"en": "Step 1 of 3", "zh": "第 1/3 步"},
        "step.2": {"en": "Step 2 of 3", "zh": "第 2/3 步"},
        "step.3": {"en": "Step 3 of 3", "zh": "第 3/3 步"},
        "step.done": {"en": "Plan complete", "zh": "计划已完成"},
        "step.none": {"en": "Not in the plan", "zh": "未参加计划"},
    }
)


@dataclass(frozen=True)
class PlanStatus:
    stage: str
    step: str  # i18n key
    next_step: str  # already translated
    deadline: int
    seconds_left: int  # until the activation deadline; negative once past
    warning: bool  # the last 3 days before the deadline


def countdown(seconds: int, lang: str) -> str:
    if seconds < 0:
        return i18n.t("countdown.past", lang)
    days, rest = divmod(seconds, 86400)
    return i18n.t("countdown", lang, d=days, h=rest // 3600, m=rest % 3600 // 60)


def plan_status(engine: Engine, lang: str) -> PlanStatus:
    stage = engine.stage
    rules = engine.rules
    step = {
        "self_test": "step.1",
        "tasks": "step.2",
        "ready": "step.3",
        "waiver": "step.3",
        "finished": "step.done",
        "lapsed": "step.none",
        "ineligible": "step.none",
    }[stage]
    if stage == "self_test":
        text = i18n.t("next.self_test", lang, pass_mark=rules.pass_mark)
    elif stage == "tasks":
        missing = [
            i18n.t(f"task.{key}", lang)
            for key, (_, _, met) in engine.task_status().items()
            if not met
        ]
        sep = "、" if lang == "zh" else ", "
        text = i18n.t("next.tasks", lang, missing=sep.join(missing))
    elif stage == "ready":
        refusal = engine.activation_check()
        if refusal is None:
            text = i18n.t("next.ready", lang)
        else:
            text = i18n.t("next.ready_refused", lang, reason=refusal.message(lang))
    elif stage == "waiver":
        assert engine.tier is not None
        text = i18n.t(
            "next.waiver",
            lang,
            day=engine.open_waiver_day,
            days=engine.tier.days,
            cap=money.fmt_grouped(engine.tier.daily_cap),
        )
    elif stage == "finished":
        assert engine.tier is not None
        text = i18n.t("next.finished", lang, days=engine.tier.days)
    else:
        text = i18n.t(f"next.{stage}", lang)
    left = engine.deadline - engine.clock
    warning = engine.activated_at is None and 0 <= left < 3 * 86400
    return PlanStatus(stage, step, text, engine.deadline, left, warning)


def deadline_text(engine: Engine) -> str:
    return timeutil.show(engine.deadline, seconds=True)


i18n.register(
    {
        "lock.tasks": {
            "en": "Locked by R5: pass the self-test with {pass_mark} or more first "
            "(best so far: {best}).",
            "zh": "受 R5 限制：请先通过自测"
            "（{pass_mark} 分及以上，目前最高 {best} 分）。",
        },
        "lock.waiver": {
            "en": "Locked: {reason}",
            "zh": "未解锁：{reason}",
        },
    }
)

# Which rule each activation refusal comes from, for "why is this locked".
REFUSAL_RULE = {
    "not_eligible": "R1",
    "already_active": "R16",
    "deadline_passed": "R13",
    "not_paid": "R13",
    "self_test_not_passed": "R5",
    "tasks_not_met": "R12",
    "below_minimum_recharge": "R15",
    "other_promotion": "R2",
    "no_balance": "R21",
}


def tasks_lock(engine: Engine, lang: str) -> str | None:
    """Why step 2 is locked, or None once the self-test is passed."""
    if engine.self_test_passed:
        return None
    return i18n.t(
        "lock.tasks",
        lang,
        pass_mark=engine.rules.pass_mark,
        best="-" if engine.best_score is None else engine.best_score,
    )


def waiver_lock(engine: Engine, lang: str) -> str | None:
    """Why activation is not possible now, or None if it is (or is done)."""
    if engine.activated_at is not None:
        return None
    refusal = engine.activation_check()
    if refusal is None:
        return None
    return i18n.t(
        "lock.waiver",
        lang,
        rule=REFUSAL_RULE[refusal.code],
        reason=refusal.message(lang),
    )

"""Messages in Chinese and English, and how the language is chosen.

Catalogues are plain dicts so that importing them costs nothing at start-up;
the TUI registers its own on top of the core's.
"""

from __future__ import annotations

import locale
import os

LANGS = ("en", "zh")

_CATALOGUE: dict[str, dict[str, str]] = {
    # Refusals (contract codes, scenarios.md).
    "refusal.not_eligible": {
        "en": "Not eligible: the plan is for members who first open P4P on or "
        "after {campaign_start} and never ran P4P before (R1).",
        "zh": "不符合参与条件：本计划仅面向 {campaign_start} 起首次开通直通车、"
        "此前从未投放过直通车的会员（R1）。",
    },
    "refusal.already_active": {
        "en": "The spend waiver is already active (activated {activated_at}).",
        "zh": "新手免单已开启（开启时间 {activated_at}）。",
    },
    "refusal.deadline_passed": {
        "en": "The activation deadline {deadline} has passed: the waiver has "
        "lapsed for good (R13).",
        "zh": "已超过开启截止时间 {deadline}，免单资格永久失效（R13）。",
    },
    "refusal.not_paid": {
        "en": "The P4P payment has not arrived yet (expected {payment_date}).",
        "zh": "直通车款项尚未到账（到款日 {payment_date}）。",
    },
    "refusal.self_test_not_passed": {
        "en": "Step 1 first: pass the self-test with {pass_mark} or more "
        "(best so far: {best_score}) (R5).",
        "zh": "请先完成第一步：自测需达到 {pass_mark} 分及以上"
        "（目前最高 {best_score} 分）（R5）。",
    },
    "refusal.tasks_not_met": {
        "en": "Step 2 first: all three tasks must be met. Not yet: {missing} (R12).",
        "zh": "请先完成第二步：三项新手任务须全部达标。未达标：{missing}（R12）。",
    },
    "refusal.below_minimum_recharge": {
        "en": "Opening recharge {recharge} is below the lowest tier "
        "({minimum}): no spend waiver (R15).",
        "zh": "开户充值额 {recharge} 低于最低档（{minimum}），无免单资格（R15）。",
    },
    "refusal.other_promotion": {
        "en": "The account is in another P4P promotion; the waiver does not "
        "combine with other promotions (R2).",
        "zh": "该帐户已参加其他直通车促销活动，免单不与其他促销活动叠加（R2）。",
    },
    "refusal.no_balance": {
        "en": "Ads are offline: nothing left to serve (cash + red packet - "
        "held = 0). Only {accrued} of {asked} was accrued; top up to resume.",
        "zh": "广告已下线：可用余额为零（现金 + 红包 - 冻结）。本次仅计入 "
        "{accrued}（共 {asked}），充值后恢复投放。",
    },
    "task.info_score": {"en": "information display score", "zh": "信息展示分"},
    "task.products": {"en": "products in promotion", "zh": "推广中产品"},
    "task.keywords": {"en": "keywords in promotion", "zh": "推广中关键词"},
    "none": {"en": "none", "zh": "无"},
}


def register(catalogue: dict[str, dict[str, str]]) -> None:
    """Add (or override) messages; used by the TUI and the content layer."""
    _CATALOGUE.update(catalogue)


def t(key: str, lang: str, /, **values: object) -> str:
    """The message `key` in `lang`, falling back to English, then the key."""
    entry = _CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or key
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in _CATALOGUE


def pick_lang(requested: str | None = None) -> str:
    """`--lang`, then GROWTH_PLAN_LANG, then the system locale, then English."""
    for candidate in (requested, os.environ.get("GROWTH_PLAN_LANG")):
        if candidate:
            normal = candidate.strip().lower()[:2]
            if normal in LANGS:
                return normal
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        system = locale.getlocale()[0] or ""
    except ValueError:
        system = ""
    return "zh" if system.lower().startswith("zh") else "en"


register(
    {
        "stage.ineligible": {"en": "not eligible", "zh": "不符合条件"},
        "stage.self_test": {"en": "self-test", "zh": "新手自测"},
        "stage.tasks": {"en": "tasks", "zh": "新手任务"},
        "stage.ready": {"en": "ready to activate the waiver", "zh": "可开启新手免单"},
        "stage.waiver": {"en": "spend waiver running", "zh": "新手免单进行中"},
        "stage.finished": {"en": "waiver finished", "zh": "免单已结束"},
        "stage.lapsed": {"en": "waiver lapsed", "zh": "免单已失效"},
    }
)

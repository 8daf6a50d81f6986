"""The human report of `growth-plan simulate`: stage, ledger, refusals and
what `expect` found, laid out for a terminal in either language."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from app.core import i18n

i18n.register(
    {
        "report.scenario": {"en": "Scenario", "zh": "场景"},
        "report.stage": {"en": "Stage", "zh": "阶段"},
        "report.clock": {"en": "Clock", "zh": "模拟时间"},
        "report.self_test": {"en": "Self-test", "zh": "自测"},
        "report.self_test_line": {
            "en": "{state}, best {best}, {attempts} attempt(s)",
            "zh": "{state}，最高 {best} 分，共 {attempts} 次",
        },
        "report.passed": {"en": "passed", "zh": "已通过"},
        "report.not_passed": {"en": "not passed", "zh": "未通过"},
        "report.tasks": {"en": "Tasks", "zh": "新手任务"},
        "report.met": {"en": "met", "zh": "达标"},
        "report.not_met": {"en": "not met", "zh": "未达标"},
        "report.tier": {"en": "Tier", "zh": "免单档位"},
        "report.tier_line": {
            "en": "recharge {recharge}: {cap} a day for {days} days",
            "zh": "充值 {recharge}：每日上限 {cap}，共 {days} 天",
        },
        "report.no_tier": {
            "en": "none (below the lowest row)",
            "zh": "无（低于最低档）",
        },
        "report.deadline": {"en": "Activation deadline", "zh": "开启截止"},
        "report.activated": {"en": "Activated", "zh": "开启时间"},
        "report.days": {"en": "Waiver days", "zh": "免单天数"},
        "report.days_line": {
            "en": "{used} used, {left} left",
            "zh": "已用 {used}，剩余 {left}",
        },
        "report.balances": {"en": "Balances", "zh": "余额"},
        "report.ledger": {"en": "Ledger", "zh": "结算明细"},
        "report.empty_ledger": {"en": "(no settled window yet)", "zh": "（尚无结算）"},
        "report.refusals": {"en": "Refusals", "zh": "被拒操作"},
        "report.action": {"en": "action", "zh": "操作"},
        "report.expect": {"en": "Expectations", "zh": "预期检查"},
        "report.expect_ok": {"en": "all {n} held", "zh": "{n} 项全部符合"},
        "report.expect_failed": {
            "en": "{failed} of {n} did not hold:",
            "zh": "{n} 项中 {failed} 项不符：",
        },
        "report.expected": {"en": "expected", "zh": "预期"},
        "report.actual": {"en": "actual", "zh": "实际"},
        "report.missing": {"en": "(not in the report)", "zh": "（报告中不存在）"},
        "col.window_end": {"en": "settled at", "zh": "结算时间"},
        "col.waiver_day": {"en": "day", "zh": "免单日"},
        "col.spend": {"en": "spend", "zh": "消耗"},
        "col.waived": {"en": "waived", "zh": "免单"},
        "col.coupon": {"en": "coupon", "zh": "卡券"},
        "col.cash": {"en": "cash", "zh": "现金"},
        "col.red_packet": {"en": "red packet", "zh": "红包"},
        "col.held": {"en": "held", "zh": "冻结"},
        "col.coupons": {"en": "coupons", "zh": "卡券"},
    }
)


def width(text: str) -> int:
    """Terminal cells: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int, right: bool = False) -> str:
    gap = " " * max(cells - width(text), 0)
    return gap + text if right else text + gap


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [
        max([width(h), *(width(r[i]) for r in rows)]) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(pad(h, widths[i], i in right) for i, h in enumerate(headers))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(pad(c, widths[i], i in right) for i, c in enumerate(row))
        )
    return lines


def render(report: dict[str, Any], name: str, lang: str) -> str:
    """The whole human report as text."""

    def t(key: str, **values: object) -> str:
        return i18n.t(key, lang, **values)

    def short(stamp: str | None) -> str:
        return "-" if stamp is None else stamp[:19].replace("T", " ")

    test = report["self_test"]
    waiver = report["waiver"]
    tier = waiver["tier"]
    facts = [
        (t("report.scenario"), name),
        (t("report.stage"), f"{report['stage']} ({t('stage.' + report['stage'])})"),
        (t("report.clock"), short(report["clock"])),
        (
            t("report.self_test"),
            t(
                "report.self_test_line",
                state=t("report.passed" if test["passed"] else "report.not_passed"),
                best="-" if test["best_score"] is None else test["best_score"],
                attempts=test["attempts"],
            ),
        ),
        (
            t("report.tasks"),
            ", ".join(
                f"{t('task.' + key)} {task['value']}/{task['required']} "
                f"{t('report.met' if task['met'] else 'report.not_met')}"
                for key, task in report["tasks"].items()
            ),
        ),
        (
            t("report.tier"),
            t("report.no_tier")
            if tier is None
            else t(
                "report.tier_line",
                recharge=tier["recharge"],
                cap=tier["daily_cap"],
                days=tier["days"],
            ),
        ),
        (t("report.deadline"), short(waiver["deadline"])),
        (t("report.activated"), short(waiver["activated_at"])),
        (
            t("report.days"),
            t(
                "report.days_line",
                used=waiver["days_used"],
                left="-" if waiver["days_left"] is None else waiver["days_left"],
            ),
        ),
        (
            t("report.balances"),
            "  ".join(
                f"{t('col.' + key)} {value}"
                for key, value in report["balances"].items()
            ),
        ),
    ]
    label_width = max(width(label) for label, _ in facts)
    lines = [f"{pad(label, label_width)}  {value}" for label, value in facts]

    lines += ["", t("report.ledger")]
    columns = [
        "window_end",
        "waiver_day",
        "spend",
        "waived",
        "coupon",
        "cash",
        "red_packet",
    ]
    rows = [
        [
            short(row["window_end"])[:16],
            "-" if row["waiver_day"] is None else str(row["waiver_day"]),
            *(row[key] for key in columns[2:]),
        ]
        for row in report["ledger"]
    ]
    if rows:
        headers = [t("col." + key) for key in columns]
        lines += table(headers, rows, right=set(range(1, len(columns))))
    else:
        lines.append(t("report.empty_ledger"))

    if report["refusals"]:
        lines += ["", t("report.refusals")]
        for refusal in report["refusals"]:
            lines.append(
                f"  {t('report.action')} {refusal['action']}: "
                f"[{refusal['code']}] {refusal['message']}"
            )

    expect = report.get("expect")
    if expect is not None:
        lines += ["", t("report.expect")]
        if not expect["failed"]:
            lines.append("  " + t("report.expect_ok", n=expect["checked"]))
        else:
            lines.append(
                "  "
                + t(
                    "report.expect_failed",
                    failed=len(expect["failed"]),
                    n=expect["checked"],
                )
            )
            for item in expect["failed"]:
                actual = (
                    t("report.missing")
                    if item.get("missing")
                    else json.dumps(item["actual"], ensure_ascii=False)
                )
                lines.append(
                    f"  - {item['key']}: {t('report.expected')} "
                    f"{json.dumps(item['expected'], ensure_ascii=False)}, "
                    f"{t('report.actual')} {actual}"
                )
    return "\n".join(lines)

"""`growth-plan status PROFILE [--json]`: where a trainee stands.

The profile is opened read-only, so this works while the app has it open.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_parser(
    subparsers: argparse._SubParsersAction, name: str
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="print a profile's stage, next step, deadline and waiver progress",
        description="Print a saved profile's stage, next step, activation "
        "deadline and waiver progress. Reads the profile without locking it.",
    )
    parser.add_argument("profile", metavar="PROFILE", help="profile name")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def open_read_only(args: argparse.Namespace, name: str) -> Any:
    """The saved profile `name`, read-only; InputError if there is none."""
    from app.core.errors import InputError
    from app.core.session import Session, open_store
    from app.core.store import StoreError, valid_profile_name

    problem = valid_profile_name(name)
    if problem:
        raise InputError(f"profile {name!r}: {problem}")
    store = open_store(getattr(args, "state_dir", None))
    if not store.exists(name):
        raise InputError(f"no profile named {name!r} in {store.state_dir}")
    try:
        return Session.open(
            store, name, rules_path=getattr(args, "rules", None), read_only=True
        )
    except StoreError as error:
        raise InputError(str(error)) from None


def status_json(session: Any, lang: str) -> dict[str, Any]:
    from app.core import status, timeutil

    engine = session.engine
    plan = status.plan_status(engine, lang)
    report = engine.report(lang)
    return {
        "profile": session.name,
        "stage": plan.stage,
        "step": plan.step.removeprefix("step."),
        "next_step": plan.next_step,
        "clock": timeutil.iso(engine.clock),
        "deadline": timeutil.iso(engine.deadline),
        "deadline_seconds_left": plan.seconds_left,
        "waiver": report["waiver"],
    }


def run(args: argparse.Namespace) -> int:
    from app.core import i18n, money, status, timeutil

    _register()
    lang = i18n.pick_lang(getattr(args, "lang", None))
    session = open_read_only(args, args.profile)
    try:
        if args.json:
            json.dump(status_json(session, lang), sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
            return 0
        engine = session.engine
        plan = status.plan_status(engine, lang)

        def t(key: str, **values: Any) -> str:
            return i18n.t(key, lang, **values)

        left = status.countdown(plan.seconds_left, lang)
        lines = [
            f"{t('cli.profile')}: {session.name}",
            f"{t('cli.stage')}: {t('stage.' + plan.stage)} ({t(plan.step)})",
            f"{t('cli.next')}: {plan.next_step}",
            f"{t('cli.clock')}: {timeutil.show(engine.clock, seconds=True)}",
            f"{t('cli.deadline')}: {status.deadline_text(engine)} ({left})"
            if engine.activated_at is None
            else f"{t('cli.activated')}: {timeutil.show(engine.activated_at)}",
        ]
        tier = engine.tier
        if tier is None:
            lines.append(f"{t('cli.waiver')}: {t('cli.no_tier')}")
        else:
            cap = money.fmt_grouped(tier.daily_cap)
            lines.append(
                f"{t('cli.waiver')}: "
                + t("cli.days", used=engine.days_used, days=tier.days, cap=cap)
            )
        print("\n".join(lines))
        return 0
    finally:
        session.close()


def _register() -> None:
    from app.core import i18n

    i18n.register(
        {
            "cli.profile": {"en": "Profile", "zh": "档案"},
            "cli.stage": {"en": "Stage", "zh": "阶段"},
            "cli.next": {"en": "Next step", "zh": "下一步"},
            "cli.clock": {"en": "Simulated time (Beijing)", "zh": "模拟北京时间"},
            "cli.deadline": {"en": "Activation deadline", "zh": "开启截止"},
            "cli.activated": {"en": "Waiver activated", "zh": "免单开启时间"},
            "cli.waiver": {"en": "Waiver", "zh": "免单"},
            "cli.no_tier": {
                "en": "no tier (recharge below the lowest)",
                "zh": "无档位（充值低于最低档）",
            },
            "cli.days": {
                "en": "{used} of {days} days used (cap {cap} a day)",
                "zh": "已用 {used}/{days} 天（每日上限 {cap}）",
            },
        }
    )

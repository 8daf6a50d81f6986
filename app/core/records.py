"""Records of a profile: the ledger as CSV, the event log as JSON lines, a
trainee report in Markdown, and reading an exported event log back.

The event log export is the profile itself in a portable form: a header
line (account, rules, start clock) and one event per line, with ISO times.
`parse_events` checks it line by line and replays it, so a profile moved
between machines is rebuilt to the fen or refused naming the bad line.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from app.core import i18n, money, status, timeutil
from app.core.engine import Account, Engine
from app.core.errors import InputError

FORMATS = ("csv", "jsonl", "md")
HEADER_FORMAT = "growth-plan-events"
HEADER_VERSION = 1
LEDGER_COLUMNS = (
    "window_start", "window_end", "waiver_day", "spend", "waived", "coupon",
    "cash", "red_packet",
)  # fmt: skip

# Event kind -> fields it must carry, with their JSON type.
EVENT_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "open_marketing_center": {},
    "popup": {},
    "self_test": {"score": int},
    "set_info_score": {"value": int},
    "add_products": {"count": int},
    "add_keywords": {"count": int},
    "activate": {},
    "spend": {"fen": int},
    "top_up": {"cash": int, "red_packet": int, "coupons": int},
    "refusal": {"code": str, "values": dict},
}
_TIME_FIELDS = ("at", "real")


# ------------------------------------------------------------------ ledger


def ledger_csv(engine: Engine) -> str:
    """One row per settled window, as in the JSON report (money in CNY)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LEDGER_COLUMNS)
    for row in engine.ledger:
        report = row.to_report()
        writer.writerow(
            "" if report[key] is None else report[key] for key in LEDGER_COLUMNS
        )
    return out.getvalue()


# -------------------------------------------------------------- event log


def header(session: Any) -> dict[str, Any]:
    engine = session.engine
    return {
        "format": HEADER_FORMAT,
        "version": HEADER_VERSION,
        "profile": session.name,
        "rules": session.rules_path,
        "account": engine.account.to_json(),
        "start_clock": timeutil.iso(engine.start_clock),
        "clock": timeutil.iso(engine.clock),
    }


def event_json(event: dict[str, Any]) -> dict[str, Any]:
    """An event with its epoch times as ISO text (Beijing offset)."""
    out = dict(event)
    for key in _TIME_FIELDS:
        if isinstance(out.get(key), int) and not isinstance(out[key], bool):
            out[key] = timeutil.iso(out[key])
    return out


def events_jsonl(session: Any) -> str:
    lines = [header(session), *(event_json(e) for e in session.engine.events)]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def parse_events(text: str, source: str) -> dict[str, Any]:
    """An exported event log -> a profile payload (for `Session.from_payload`).

    Checked line by line; InputError names `source:line` and what is wrong.
    The events are also replayed, so a log the engine cannot rebuild (a
    removal of more products than there are, a clock going back) is refused
    with the line of the event concerned.
    """
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError(f"{source}:1: empty file; expected a header line")
    head = _json_line(lines[0], source, 1)

    def fail(problem: str, number: int = 1) -> InputError:
        return InputError(f"{source}:{number}: {problem}")

    if head.get("format") != HEADER_FORMAT:
        raise fail(f"not an exported event log (format should be {HEADER_FORMAT!r})")
    if head.get("version") != HEADER_VERSION:
        raise fail(f"version {head.get('version')!r} is not supported")
    for key in ("account", "start_clock", "clock"):
        if key not in head:
            raise fail(f"header: missing key {key!r}")
    try:
        account = Account.from_json(head["account"])
    except InputError as error:
        raise fail(f"header: {error}") from None
    start = _time(head["start_clock"], fail, "start_clock")
    clock = _time(head["clock"], fail, "clock")
    rules = head.get("rules")
    if rules is not None and not isinstance(rules, str):
        raise fail("header: rules must be a file path or null")

    events: list[dict[str, Any]] = []
    numbers: list[int] = []
    last = start
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        event = _json_line(line, source, number)
        events.append(_check_event(event, lambda p, n=number: fail(p, n), last))
        numbers.append(number)
        last = events[-1]["at"]
    if clock < last:
        raise fail(f"header: clock {head['clock']} is before the last event")

    payload = {
        "profile": head.get("profile"),
        "rules": rules,
        "account": account.to_json(),
        "start_clock": start,
        "clock": clock,
        "events": events,
        "workspace": {},
    }
    _replay_check(payload, numbers, source)
    return payload


def _json_line(line: str, source: str, number: int) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{source}:{number}: not JSON ({error.msg})") from None
    if not isinstance(value, dict):
        raise InputError(f"{source}:{number}: expected a JSON object")
    return value


def _time(value: Any, fail: Any, key: str) -> int:
    if not isinstance(value, str):
        raise fail(f"{key}: expected an ISO time like 2026-07-01T09:00:00+08:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{key}: {value!r} is not an ISO time") from None
    if moment.tzinfo is None:
        raise fail(f"{key}: {value!r} has no UTC offset")
    return int(moment.timestamp())


def _check_event(event: dict[str, Any], fail: Any, last: int) -> dict[str, Any]:
    kind = event.get("kind")
    if kind not in EVENT_FIELDS:
        raise fail(f"unknown event kind {kind!r}")
    out = dict(event)
    if "at" not in event:
        raise fail("missing key 'at'")
    for key in _TIME_FIELDS:
        if key in event:
            out[key] = _time(event[key], fail, key)
    if out["at"] < last:
        raise fail(f"time {event['at']} goes back before the previous event")
    for key, kind_of in EVENT_FIELDS[kind].items():
        value = event.get(key)
        if value is None:
            raise fail(f"{kind}: missing key {key!r}")
        if isinstance(value, bool) or not isinstance(value, kind_of):
            raise fail(f"{kind}: {key} has the wrong type ({value!r})")
    return out


def _replay_check(payload: dict[str, Any], numbers: list[int], source: str) -> None:
    from app.core.rules import load_rules

    try:
        rules = load_rules(payload["rules"])
    except InputError as error:
        raise InputError(f"{source}:1: rules: {error}") from None
    account = Account.from_json(payload["account"])
    try:
        Engine.replay(
            rules, account, payload["start_clock"], payload["events"], payload["clock"]
        )
    except InputError as error:
        text = str(error)
        position, _, rest = text.partition(": ")
        if position.startswith("event ") and position[6:].isdigit():
            index = int(position[6:])
            if index < len(numbers):
                raise InputError(f"{source}:{numbers[index]}: {rest}") from None
        raise InputError(f"{source}: {text}") from None


# ---------------------------------------------------------- trainee report

i18n.register(
    {
        "rep.title": {"en": "Trainee report: {name}", "zh": "学员报告：{name}"},
        "rep.stage": {"en": "Stage", "zh": "阶段"},
        "rep.clock": {"en": "Simulated time (Beijing)", "zh": "模拟北京时间"},
        "rep.next": {"en": "Next step", "zh": "下一步"},
        "rep.deadline": {"en": "Activation deadline", "zh": "开启截止"},
        "rep.attempts": {"en": "Self-test attempts", "zh": "自测记录"},
        "rep.attempts.none": {"en": "No attempt yet.", "zh": "尚无自测记录。"},
        "rep.col.n": {"en": "#", "zh": "序号"},
        "rep.col.when": {"en": "When (Beijing)", "zh": "时间（北京）"},
        "rep.col.score": {"en": "Score", "zh": "得分"},
        "rep.col.result": {"en": "Result", "zh": "结果"},
        "rep.col.missed": {"en": "Missed questions", "zh": "答错的题目"},
        "rep.passed": {"en": "✓ passed", "zh": "✓ 通过"},
        "rep.failed": {"en": "✗ not passed", "zh": "✗ 未通过"},
        "rep.missed.unknown": {"en": "not recorded", "zh": "未记录"},
        "rep.missed.none": {"en": "none", "zh": "无"},
        "rep.time": {"en": "Time spent per step", "zh": "各步骤用时"},
        "rep.col.step": {"en": "Step", "zh": "步骤"},
        "rep.col.from": {"en": "From", "zh": "开始"},
        "rep.col.to": {"en": "To", "zh": "完成"},
        "rep.col.sim": {"en": "Simulated", "zh": "模拟用时"},
        "rep.col.real": {"en": "Real", "zh": "实际用时"},
        "rep.step1": {"en": "1 Self-test", "zh": "1 新手自测"},
        "rep.step2": {"en": "2 Tasks", "zh": "2 新手任务"},
        "rep.step3": {"en": "3 Activate waiver", "zh": "3 开启免单"},
        "rep.open": {"en": "not yet", "zh": "尚未完成"},
        "rep.time.note": {
            "en": "Simulated time runs from the popup (or the profile's start) "
            "to the step's completion; real time is shown where the app "
            "recorded it.",
            "zh": "模拟用时从弹窗出现（或档案开始）算到该步骤完成；"
            "应用记录了实际时间的，另列实际用时。",
        },
        "rep.tasks": {"en": "Tasks", "zh": "新手任务"},
        "rep.col.task": {"en": "Task", "zh": "任务"},
        "rep.col.value": {"en": "Value", "zh": "当前值"},
        "rep.col.required": {"en": "Required", "zh": "要求"},
        "rep.col.met": {"en": "Met", "zh": "达标"},
        "rep.met": {"en": "✓ met", "zh": "✓ 达标"},
        "rep.not_met": {"en": "✗ not met", "zh": "✗ 未达标"},
        "rep.waiver": {"en": "Spend waiver", "zh": "新手免单"},
        "rep.tier": {"en": "Tier", "zh": "档位"},
        "rep.tier.none": {"en": "none (recharge below the lowest tier)", "zh": "无"},
        "rep.tier.value": {
            "en": "recharge {recharge}: cap {cap} a day for {days} days",
            "zh": "充值 {recharge}：每日上限 {cap}，共 {days} 天",
        },
        "rep.activated": {"en": "Activated", "zh": "开启时间"},
        "rep.not_activated": {"en": "not activated", "zh": "未开启"},
        "rep.days": {"en": "Waiver days used", "zh": "已用免单天数"},
        "rep.totals": {
            "en": "Settled spend {spend}: waived {waived}, coupons {coupon}, "
            "cash {cash}, red packet {red_packet}",
            "zh": "已结算消耗 {spend}：免单 {waived}，卡券 {coupon}，"
            "现金 {cash}，红包 {red_packet}",
        },
        "rep.refusals": {"en": "Refusals", "zh": "被拒绝的操作"},
    }
)


def _duration(seconds: int | None, lang: str) -> str:
    if seconds is None:
        return "-"
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if lang == "zh":
        return f"{days}天{hours}小时{minutes}分" if days else f"{hours}小时{minutes}分"
    return f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m"


Mark = dict[str, Any] | None


def step_times(engine: Engine) -> list[tuple[str, Mark, Mark]]:
    """For each step: (key, start event, end event). An event here is a dict
    with `at` and maybe `real`; the start of step 1 is the popup (or the
    profile's start), each next step starts where the last one ended."""
    rules = engine.rules
    account = engine.account
    start: dict[str, Any] = {"at": engine.start_clock}
    passed = tasks = activated = None
    values = {
        "info_score": account.info_score,
        "products": account.products,
        "keywords": account.keywords,
    }
    for event in engine.events:
        kind = event.get("kind")
        if kind == "open_marketing_center" and start.get("kind") is None:
            start = event
        elif kind == "self_test" and passed is None:
            if event.get("score", 0) >= rules.pass_mark:
                passed = event
        elif kind == "set_info_score":
            values["info_score"] = event["value"]
        elif kind == "add_products":
            values["products"] += event["count"]
        elif kind == "add_keywords":
            values["keywords"] += event["count"]
        elif kind == "activate" and activated is None:
            activated = event if engine.activated_at == event["at"] else None
        if passed is not None and tasks is None and _all_met(values, rules):
            tasks = event
    return [
        ("rep.step1", start, passed),
        ("rep.step2", passed, tasks),
        ("rep.step3", tasks, activated),
    ]


def _all_met(values: dict[str, int], rules: Any) -> bool:
    return (
        values["info_score"] >= rules.info_score_required
        and values["products"] >= rules.products_required
        and values["keywords"] >= rules.keywords_required
    )


def missed_questions(details: dict[str, Any], lang: str) -> str:
    """What an attempt got wrong, from its details where they were kept."""
    missed = details.get("missed")
    if missed is None and isinstance(details.get("answers"), dict):
        try:
            from app.core import content

            bank = content.load_bank()
            missed = []
            for qid, answer in details["answers"].items():
                question = bank.by_id(qid)
                if not question.is_correct(answer):
                    missed.append(qid)
        except (InputError, KeyError, OSError):
            missed = None
    if missed is None:
        return i18n.t("rep.missed.unknown", lang)
    if not missed:
        return i18n.t("rep.missed.none", lang)
    return ", ".join(str(item) for item in missed)


def _table(lang: str, columns: list[str], rows: list[list[str]]) -> list[str]:
    head = [i18n.t(f"rep.col.{key}", lang) for key in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in rows:
        cells = [cell.replace("|", "\\|") for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def trainee_report(session: Any, lang: str) -> str:
    engine: Engine = session.engine

    def tr(key: str, **values: Any) -> str:
        return i18n.t(key, lang, **values)

    plan = status.plan_status(engine, lang)
    colon = "：" if lang == "zh" else ": "
    out = [
        f"# {tr('rep.title', name=session.name)}",
        "",
        f"- {tr('rep.stage')}{colon}{tr('stage.' + plan.stage)} ({tr(plan.step)})",
        f"- {tr('rep.clock')}{colon}{timeutil.show(engine.clock, seconds=True)}",
        f"- {tr('rep.next')}{colon}{plan.next_step}",
        f"- {tr('rep.deadline')}{colon}{status.deadline_text(engine)}",
        "",
        f"## {tr('rep.attempts')}",
        "",
    ]
    if engine.attempts:
        rows = [
            [
                str(number),
                timeutil.show(attempt.at),
                str(attempt.score),
                tr("rep.passed" if attempt.passed else "rep.failed"),
                missed_questions(attempt.details, lang),
            ]
            for number, attempt in enumerate(engine.attempts, start=1)
        ]
        out += _table(lang, ["n", "when", "score", "result", "missed"], rows)
    else:
        out.append(tr("rep.attempts.none"))

    out += ["", f"## {tr('rep.time')}", ""]
    rows = []
    for key, begin, end in step_times(engine):
        sim = real = None
        if begin is not None and end is not None:
            sim = end["at"] - begin["at"]
            if isinstance(begin.get("real"), int) and isinstance(end.get("real"), int):
                real = end["real"] - begin["real"]
        rows.append(
            [
                tr(key),
                timeutil.show(begin["at"]) if begin else "-",
                timeutil.show(end["at"]) if end else tr("rep.open"),
                _duration(sim, lang),
                _duration(real, lang),
            ]
        )
    out += _table(lang, ["step", "from", "to", "sim", "real"], rows)
    out += ["", tr("rep.time.note")]

    out += ["", f"## {tr('rep.tasks')}", ""]
    rows = []
    for key, (value, required, met) in engine.task_status().items():
        if key == "info_score":
            shown, needed = f"{value / 100:.1f}", f"{required / 100:.1f}"
        else:
            shown, needed = str(value), str(required)
        rows.append(
            [tr(f"task.{key}"), shown, needed, tr("rep.met" if met else "rep.not_met")]
        )
    out += _table(lang, ["task", "value", "required", "met"], rows)

    out += ["", f"## {tr('rep.waiver')}", ""]
    tier = engine.tier
    if tier is None:
        out.append(f"- {tr('rep.tier')}{colon}{tr('rep.tier.none')}")
    else:
        out.append(
            f"- {tr('rep.tier')}{colon}"
            + tr(
                "rep.tier.value",
                recharge=money.fmt_grouped(engine.account.recharge),
                cap=money.fmt_grouped(tier.daily_cap),
                days=tier.days,
            )
        )
    activated = (
        timeutil.show(engine.activated_at)
        if engine.activated_at is not None
        else tr("rep.not_activated")
    )
    out.append(f"- {tr('rep.activated')}{colon}{activated}")
    if tier is not None:
        out.append(f"- {tr('rep.days')}{colon}{engine.days_used} / {tier.days}")
    totals = {
        key: money.fmt_grouped(sum(getattr(row, key) for row in engine.ledger))
        for key in ("spend", "waived", "coupon", "cash", "red_packet")
    }
    out.append(f"- {tr('rep.totals', **totals)}")
    if engine.refusals:
        out += ["", f"## {tr('rep.refusals')}", ""]
        for refusal in engine.refusals:
            out.append(f"- {timeutil.show(refusal.at)}{colon}{refusal.message(lang)}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------- export


def export_text(session: Any, fmt: str, lang: str) -> str:
    if fmt == "csv":
        return ledger_csv(session.engine)
    if fmt == "jsonl":
        return events_jsonl(session)
    if fmt == "md":
        return trainee_report(session, lang)
    raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")


def export_name(profile: str, fmt: str, moment: datetime) -> str:
    """`trainee-ledger-20260701-090000.csv` and friends."""
    what = {"csv": "ledger", "jsonl": "events", "md": "report"}[fmt]
    return f"{profile}-{what}-{moment.strftime('%Y%m%d-%H%M%S')}.{fmt}"


def write_text(path: Path, text: str) -> None:
    """Write an export: to a temporary file beside it, then renamed, so a
    crash never leaves half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputError(f"{path}: cannot write ({error.strerror})") from None

"""Runs the spend feed and the simulated clock on every screen.

The app creates one FeedDriver in `on_mount`. A timer moves the clock by
the real time elapsed times the speed, in one batch per tick, so the work
per tick is the clicks of that slice of simulated time and nothing more.
After each step `app.tick` is bumped (clock and money widgets refresh);
a settlement or a change of stage goes through `app.changed()` (save and
full refresh); otherwise the profile is saved at most every few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.timer import Timer

from app.core import i18n, money, status, timeutil
from app.core.engine import LedgerRow
from app.core.feed import SPEEDS, Feed, FeedSettings, FeedStep, promoted_keywords
from app.core.session import Session

if TYPE_CHECKING:
    from app.core.engine import Engine
    from app.tui.app import GrowthPlanApp

#: Real seconds between two steps of the feed.
TICK = 0.2
#: A real pause longer than this (a suspended laptop) is not caught up.
MAX_TICK = 1.0
#: Save at most this often (real seconds) while only clicks happen.
SAVE_EVERY = 5.0
#: A jump longer than this runs in slices of this size, one per tick.
JUMP_SLICE = 7 * 86400
#: The farthest a jump (or catching up after a restart) may go.
MAX_JUMP = 366 * 86400
#: Settlements notified one by one; more are summed up in one toast.
NOTIFY_ROWS = 3

i18n.register(
    {
        "feed.speed.1": {"en": "real time", "zh": "实时"},
        "feed.speed.60": {"en": "1 min per second", "zh": "每秒 1 分钟"},
        "feed.speed.3600": {"en": "1 hour per second", "zh": "每秒 1 小时"},
        "feed.settled.waiver": {
            "en": "Settled the P4P day to {end}: waiver day {day}, spend "
            "{spend}, waived {waived}, charged {paid}. The held {spend} is "
            "released; {waived} goes back to what ads can spend.",
            "zh": "已结算截至 {end} 的直通车日：免单第 {day} 天，消耗 {spend}，"
            "免单 {waived}，扣费 {paid}。冻结的 {spend} 已解冻，其中 {waived} "
            "退回可用余额。",
        },
        "feed.settled.idle": {
            "en": "Settled the P4P day to {end}: waiver day {day} had no spend "
            "and is used up all the same (R18).",
            "zh": "已结算截至 {end} 的直通车日：免单第 {day} 天没有消耗，"
            "但同样计为已用（R18）。",
        },
        "feed.settled.normal": {
            "en": "Settled the P4P day to {end}: spend {spend}, coupons "
            "{coupon}, cash {cash}, red packet {red_packet}.",
            "zh": "已结算截至 {end} 的直通车日：消耗 {spend}，优惠卡券 {coupon}，"
            "现金 {cash}，红包 {red_packet}。",
        },
        "feed.settled.many": {
            "en": "Settled {count} P4P days (to {end}); the ledger has each.",
            "zh": "已结算 {count} 个直通车日（截至 {end}），明细见账单。",
        },
        "feed.offline": {
            "en": "⚠ Ads offline: nothing left to serve (cash + red packet − "
            "held is 0, R21). Top up to bring them back.",
            "zh": "⚠ 广告已下线：可用余额为零（现金 + 红包 − 冻结，R21）。"
            "充值后恢复投放。",
        },
        "feed.online": {"en": "▶ Ads back online.", "zh": "▶ 广告已恢复投放。"},
        "feed.lapsed": {
            "en": "✗ The activation deadline passed: the waiver has lapsed (R13).",
            "zh": "✗ 已过开启截止时间：免单资格已失效（R13）。",
        },
        "feed.finished": {
            "en": "✓ The last waiver day is settled: the waiver is finished.",
            "zh": "✓ 最后一个免单日已结算：新手免单结束。",
        },
        "feed.caught_up": {
            "en": "The feed was playing in real time while the app was closed: "
            "the clock moves on by {gap}.",
            "zh": "关闭应用期间推广仍按实时运行：模拟时钟向前追赶 {gap}。",
        },
        "feed.playing": {
            "en": "▶ Feed playing ({speed}).",
            "zh": "▶ 推广运行中（{speed}）。",
        },
        "feed.paused": {"en": "|| Feed paused.", "zh": "|| 推广已暂停。"},
        "feed.jumped": {"en": "Clock moved to {time}.", "zh": "时钟已移至 {time}。"},
        "feed.jumping": {
            "en": "Moving the clock to {time}, a week per step…",
            "zh": "正在把时钟移至 {time}，每步一周…",
        },
        "cmd.feed.play": {"en": "Feed: Play / pause", "zh": "推广：运行 / 暂停"},
        "cmd.feed.speed": {"en": "Feed: Change speed", "zh": "推广：切换速度"},
        "cmd.feed.before": {
            "en": "Clock: Just before the next cutoff",
            "zh": "时钟：跳到下次结算前 1 分钟",
        },
        "cmd.feed.cutoff": {
            "en": "Clock: To the next cutoff (settle)",
            "zh": "时钟：跳到下次结算（结算）",
        },
        "cmd.feed.day": {"en": "Clock: +1 day", "zh": "时钟：前进 1 天"},
        "cmd.feed.date": {"en": "Clock: Jump to a date…", "zh": "时钟：跳到指定时间…"},
        "cmd.feed.top_up": {"en": "Account: Top up…", "zh": "帐户：充值…"},
        "cmd.feed.budget": {
            "en": "Feed: Daily budget and seed…",
            "zh": "推广：每日预算与随机种子…",
        },
        "cmd.feed.help": {
            "en": "The spend feed runs on every screen",
            "zh": "推广消耗在所有页面都会持续运行",
        },
    }
)


def speed_text(speed: int, lang: str) -> str:
    return i18n.t(f"feed.speed.{speed}", lang)


class FeedDriver:
    """Owns the Feed for the app's session and the timer that runs it."""

    def __init__(
        self,
        app: GrowthPlanApp,
        *,
        wall: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self._wall = wall
        self._now = now
        self._timer: Timer | None = None
        self._bind(app.session)

    def _bind(self, session: Session) -> None:
        """Attach to a (new) session: settings come from its workspace."""
        self.session = session
        self.settings = FeedSettings.from_workspace(session.workspace)
        engine = session.engine
        # Keywords are read on the first step (or when the waiver screen
        # shows): the catalog they come from costs start-up time.
        self._keyword_key: tuple[int, int] | None = None
        self.feed = Feed(engine, (), self.settings)
        self._jump_target: int | None = None
        self._jump_sliced = False
        self._carry = 0.0
        self._last_wall = self._wall()
        self._last_save = self._last_wall
        self._dirty = False
        self._online = engine.ads_online
        self._stage = engine.stage
        self._waiver_day = engine.open_waiver_day

    # ------------------------------------------------------------- running

    def start(self) -> None:
        """Start the timer; catch up a feed left playing in real time."""
        self._catch_up()
        self._timer = self.app.set_interval(TICK, self._on_tick, name="feed")

    def _catch_up(self) -> None:
        saved = self.session.workspace.get("feed", {})
        wall = saved.get("wall") if isinstance(saved, dict) else None
        if not (self.settings.playing and self.settings.speed == 1):
            return
        if not isinstance(wall, int | float) or isinstance(wall, bool):
            return
        gap = min(int(self._now() - wall), MAX_JUMP)
        if gap <= 0:
            return
        self.app.notify(
            self.t("feed.caught_up", gap=status.countdown(gap, self.lang)),
            timeout=8,
        )
        self.jump_to(self.engine.clock + gap, quiet=True)

    @property
    def engine(self) -> Engine:
        return self.session.engine

    @property
    def lang(self) -> str:
        return self.app.lang

    def t(self, key: str, /, **values: object) -> str:
        return i18n.t(key, self.app.lang, **values)

    def _on_tick(self) -> None:
        if self.app.session is not self.session:
            self._bind(self.app.session)
            return
        wall = self._wall()
        real = min(max(wall - self._last_wall, 0.0), MAX_TICK)
        self._last_wall = wall
        if self._jump_target is not None:
            self._jump_slice()
        elif self.settings.playing:
            self._carry += real * self.settings.speed
            whole = int(self._carry)
            self._carry -= whole
            if whole:
                self.step_to(self.engine.clock + whole)
        if self._dirty and wall - self._last_save >= SAVE_EVERY:
            self._save_quietly()

    def _jump_slice(self) -> None:
        assert self._jump_target is not None
        target = min(self._jump_target, self.engine.clock + JUMP_SLICE)
        if target >= self._jump_target:
            self._jump_target = None
        self.step_to(target)
        if self._jump_target is None and self._jump_sliced:
            self._jump_sliced = False
            self.app.notify(
                self.t("feed.jumped", time=timeutil.show(self.engine.clock)),
                timeout=3,
            )

    def run_pending(self) -> None:
        """Finish a jump now (tests, and before quitting)."""
        while self._jump_target is not None:
            self._jump_slice()

    def step_to(self, target: int) -> FeedStep:
        """Move the feed to `target` and tell the app what happened. The
        simulated clock ends at timeutil.MAX_TS: the feed stops there."""
        self.sync_keywords()
        step = self.feed.run_to(min(target, timeutil.MAX_TS))
        self._report(step)
        if target > timeutil.MAX_TS:
            self._at_end()
        return step

    @property
    def at_end(self) -> bool:
        """The clock is at the end of the simulated calendar."""
        return self.engine.clock >= timeutil.MAX_TS

    def _at_end(self) -> None:
        """Stop playing and jumping at the end of time, and say so."""
        self._jump_target = None
        self._jump_sliced = False
        self._carry = 0.0
        if self.settings.playing:
            self.settings.playing = False
            self._changed()
        self.app.notify(
            self.t("feed.end", last=timeutil.show(timeutil.MAX_TS, True)),
            severity="warning",
            timeout=10,
        )

    def _keywords_key(self) -> tuple[int, int]:
        listed = self.session.workspace.get("keywords")
        return self.session.engine.keywords, id(listed) if listed else 0

    def sync_keywords(self) -> None:
        key = self._keywords_key()
        if key != self._keyword_key:
            self._keyword_key = key
            self.feed.set_keywords(
                promoted_keywords(self.session.workspace, self.engine.keywords)
            )

    def _report(self, step: FeedStep) -> None:
        engine = self.engine
        if step.settled:
            self._notify_rows(step.settled)
        stage = engine.stage
        if stage != self._stage:
            if stage == "lapsed":
                self.app.notify(self.t("feed.lapsed"), severity="warning", timeout=8)
            elif stage == "finished":
                self.app.notify(self.t("feed.finished"), timeout=8)
        day = engine.open_waiver_day
        self.check_online()

        self._dirty = True
        if step.cutoffs or stage != self._stage or day != self._waiver_day:
            self._stage = stage
            self._waiver_day = day
            self._changed()
        self.app.tick += 1

    def check_online(self) -> None:
        """Tell the user when ads go offline or come back (R21)."""
        online = self.engine.ads_online
        if online != self._online:
            self._online = online
            if online:
                self.app.notify(self.t("feed.online"), timeout=4)
            else:
                self.app.notify(self.t("feed.offline"), severity="warning", timeout=10)

    def _notify_rows(self, rows: list[LedgerRow]) -> None:
        if len(rows) > NOTIFY_ROWS:
            self.app.notify(
                self.t(
                    "feed.settled.many",
                    count=len(rows),
                    end=timeutil.show(rows[-1].window_end),
                )
            )
            return
        for row in rows:
            values = {
                "end": timeutil.show(row.window_end),
                "day": row.waiver_day,
                "spend": money.fmt_grouped(row.spend),
                "waived": money.fmt_grouped(row.waived),
                "paid": money.fmt_grouped(row.cash + row.red_packet),
                "coupon": money.fmt_grouped(row.coupon),
                "cash": money.fmt_grouped(row.cash),
                "red_packet": money.fmt_grouped(row.red_packet),
            }
            if row.waiver_day is None:
                key = "feed.settled.normal"
            elif row.spend == 0:
                key = "feed.settled.idle"
            else:
                key = "feed.settled.waiver"
            self.app.notify(self.t(key, **values), timeout=6)

    # -------------------------------------------------------------- saving

    def store_settings(self) -> None:
        """Write the settings (and the real time, for catching up) into the
        workspace, so that whichever save comes next carries them."""
        data = self.settings.to_json()
        data["wall"] = int(self._now())
        self.session.workspace["feed"] = data

    def _changed(self) -> None:
        self.store_settings()
        self._dirty = False
        self._last_save = self._wall()
        self.app.changed()

    def _save_quietly(self) -> None:
        self.store_settings()
        self._dirty = False
        self._last_save = self._wall()
        had_error = self.session.save_error
        error = self.session.save()
        if error and not had_error:
            self.app.notify(
                i18n.t("saved_failed", self.lang, error=error),
                severity="error",
                timeout=10,
            )

    # ------------------------------------------------------------ controls

    @property
    def busy(self) -> bool:
        """A long jump is still running."""
        return self._jump_target is not None

    def toggle(self) -> None:
        if not self.settings.playing and self.at_end:
            self._at_end()
            return
        self.settings.playing = not self.settings.playing
        self._carry = 0.0
        self._last_wall = self._wall()
        speed = speed_text(self.settings.speed, self.lang)
        key = "feed.playing" if self.settings.playing else "feed.paused"
        self.app.notify(self.t(key, speed=speed), timeout=2)
        self._changed()

    def cycle_speed(self) -> None:
        index = SPEEDS.index(self.settings.speed)
        self.set_speed(SPEEDS[(index + 1) % len(SPEEDS)])

    def set_speed(self, speed: int) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed {speed} is not one of {SPEEDS}")
        self.settings.speed = speed
        self._carry = 0.0
        self._changed()

    def set_budget(self, budget: int, seed: int | None = None) -> None:
        self.settings.budget = budget
        if seed is not None:
            self.feed.set_seed(seed)
        if self.settings.budget_hit == self.engine.window_start:
            # A larger budget lets today's ads serve again.
            self.settings.budget_hit = None
        self._changed()

    def _base(self) -> int:
        return self._jump_target or self.engine.clock

    def before_cutoff(self) -> int:
        """One minute before the next cutoff (the one after, if closer)."""
        rules = self.engine.rules
        base = self._base()
        target = rules.next_cutoff(base) - 60
        if target <= base:
            target = rules.next_cutoff(target + 60) - 60
        return target

    def next_cutoff(self) -> int:
        return self.engine.rules.next_cutoff(self._base())

    def jump_before_cutoff(self) -> None:
        self.jump_to(self.before_cutoff())

    def jump_to_cutoff(self) -> None:
        self.jump_to(self.next_cutoff())

    def jump_day(self) -> None:
        self.jump_to(self._base() + 86400)

    def jump_to(self, target: int, *, quiet: bool = False) -> None:
        """Move the clock to `target`, serving every click on the way. Up to
        JUMP_SLICE it happens now; longer, a slice per tick."""
        if self.at_end:
            self._at_end()
            return
        target = min(target, self.engine.clock + MAX_JUMP)
        if target <= self.engine.clock:
            return
        self._jump_target = target
        self._jump_sliced = False
        self._jump_slice()
        if self._jump_target is not None:
            # Long: the rest runs a slice per tick; say when it is done.
            self._jump_sliced = True
        if self._jump_target is not None and not quiet:
            self.app.notify(
                self.t("feed.jumping", time=timeutil.show(target)), timeout=4
            )

    def validate_jump(self, target: int) -> str | None:
        """Why a jump to `target` is refused, or None."""
        if target <= self.engine.clock:
            return self.t(
                "feed.error.past", clock=timeutil.show(self.engine.clock, True)
            )
        if target > timeutil.MAX_TS:
            return self.t("feed.error.end", last=timeutil.show(timeutil.MAX_TS, True))
        if target - self.engine.clock > MAX_JUMP:
            return self.t("feed.error.far", days=MAX_JUMP // 86400)
        return None

    def top_up(self, cash: int, red_packet: int, coupons: int) -> None:
        self.engine.top_up(cash=cash, red_packet=red_packet, coupons=coupons)
        self._changed()
        self.check_online()
        self.app.tick += 1

    # ------------------------------------------------------------- palette

    def open_form(self, name: str) -> None:
        from app.tui.screens import waiver_modals

        form = {
            "date": waiver_modals.JumpToDateForm,
            "top_up": waiver_modals.TopUpForm,
            "budget": waiver_modals.BudgetForm,
        }[name]
        self.app.push_screen(form())

    def commands(self) -> Iterable[SystemCommand]:
        """The feed's actions for the command palette, on every screen."""
        help_text = self.t("cmd.feed.help")
        for key, callback in (
            ("play", self.toggle),
            ("speed", self.cycle_speed),
            ("before", self.jump_before_cutoff),
            ("cutoff", self.jump_to_cutoff),
            ("day", self.jump_day),
            ("date", lambda: self.open_form("date")),
            ("top_up", lambda: self.open_form("top_up")),
            ("budget", lambda: self.open_form("budget")),
        ):
            yield SystemCommand(self.t(f"cmd.feed.{key}"), help_text, callback)


i18n.register(
    {
        "feed.error.past": {
            "en": "must be after the simulated clock ({clock}); the clock never "
            "goes backwards",
            "zh": "须晚于当前模拟时间（{clock}），模拟时钟不能倒退",
        },
        "feed.error.end": {
            "en": "may be at most {last}, where the simulated calendar ends",
            "zh": "最晚只能到 {last}（模拟日历到此为止）",
        },
        "feed.end": {
            "en": "⊘ The simulated clock has reached its end, {last}: the feed "
            "is paused and the clock cannot move further. Load another "
            "scenario or profile to go on.",
            "zh": "⊘ 模拟时钟已到终点 {last}：推广已暂停，时钟不能再向前。"
            "如需继续，请载入其他场景或档案。",
        },
        "feed.error.far": {
            "en": "may be at most {days} days ahead (every click on the way is "
            "simulated)",
            "zh": "最多只能向前 {days} 天（途中每次点击都会模拟）",
        },
    }
)

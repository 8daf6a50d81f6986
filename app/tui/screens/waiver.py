"""Step 3, the spend waiver (新手免单): the lock, tier and deadline before
activation; while it runs, the open P4P day against the daily cap, what
settlement would do now, balances, the ledger and a chart of every waiver
day; a summary when it ends. The spend feed's controls live here too (the
feed itself runs on every screen, see app/tui/feed_driver.py)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Static

from app.core import i18n, money, status, timeutil
from app.core.engine import Engine
from app.tui.base import PlanScreen
from app.tui.feed_driver import speed_text
from app.tui.widgets.status import TopBar, in_view
from app.tui.widgets.waiver_charts import SpendChart, SpendGauge

i18n.register(
    {
        "wv.title": {"en": "③ Spend waiver", "zh": "③ 新手免单"},
        # A no-break space keeps the symbol on the line of its text.
        "wv.locked": {"en": "⊘\u00a0{reason}", "zh": "⊘\u00a0{reason}"},
        "wv.ready": {
            "en": "③ Ready: every task is met. Activate the waiver before the "
            "deadline (a).",
            "zh": "③ 可开启：三项任务均已达标。请在截止时间前开启免单（a）。",
        },
        "wv.lapsed": {
            "en": "✗ Lapsed. The activation deadline {deadline} passed before "
            "the waiver was activated, so it has lapsed for good (R13). Ads "
            "still run; spend is charged normally, coupons first.",
            "zh": "✗ 已失效。在开启截止时间 {deadline} 之前未开启免单，免单资格"
            "永久失效（R13）。广告仍可投放，消耗按正常规则扣费（优先使用卡券）。",
        },
        "wv.running": {
            "en": "▶ Waiver day {day} of {days} · next settlement {next} (in "
            "{left}) · {days_left} days left, today included",
            "zh": "▶ 免单第 {day}/{days} 天 · 下次结算 {next}（还有 {left}）"
            " · 含今天剩余 {days_left} 天",
        },
        "wv.finished": {
            "en": "✓ Waiver finished: all {days} waiver days are used. Spend is "
            "charged normally again and coupons can be used.",
            "zh": "✓ 免单已结束：{days} 个免单日全部用完。之后的消耗按正常规则扣费，"
            "优惠卡券恢复可用。",
        },
        "wv.deadline": {
            "en": "Activation deadline {deadline} · time left {left}",
            "zh": "开启截止 {deadline} · 剩余 {left}",
        },
        "wv.deadline.warn": {
            "en": "⚠ Less than 3 days left to activate (R13).",
            "zh": "⚠ 距开启截止不足 3 天（R13）。",
        },
        "wv.deadline.past": {
            "en": "✗ Activation deadline {deadline} has passed (R13).",
            "zh": "✗ 开启截止时间 {deadline} 已过（R13）。",
        },
        "wv.tier": {
            "en": "Your tier, from the opening recharge of {recharge}: up to "
            "{cap} waived per P4P day, for {days} days ({total} at most) (R15).",
            "zh": "按开户充值额 {recharge} 确定档位：每个直通车日最多免单 {cap}，"
            "共 {days} 天（最多 {total}）（R15）。",
        },
        "wv.no_tier": {
            "en": "✗ No tier: the opening recharge {recharge} is below the lowest "
            "row ({minimum}), so there is no waiver (R15).",
            "zh": "✗ 无档位：开户充值额 {recharge} 低于最低档（{minimum}），"
            "没有免单（R15）。",
        },
        "wv.col.recharge": {"en": "Opening recharge", "zh": "开户充值额"},
        "wv.col.cap": {"en": "Daily cap", "zh": "每日上限"},
        "wv.col.days": {"en": "Days", "zh": "天数"},
        "wv.yours": {"en": "◀ your tier", "zh": "◀ 您的档位"},
        "wv.activate": {"en": "Activate… (a)", "zh": "开启免单… (a)"},
        "wv.window": {
            "en": "Open P4P day {start} → {end}",
            "zh": "当前直通车日 {start} → {end}",
        },
        "wv.window.day": {
            "en": "Waiver day {day}: spend {spend} of the {cap} cap ({pct}%)",
            "zh": "免单第 {day} 天：已消耗 {spend}，上限 {cap}（{pct}%）",
        },
        "wv.window.over": {
            "en": "⚠ {over} above the cap is charged at settlement.",
            "zh": "⚠ 超出上限的 {over} 将在结算时扣费。",
        },
        "wv.window.room": {
            "en": "✓ {room} more is still waived today.",
            "zh": "✓ 今天还可免单 {room}。",
        },
        "wv.window.none": {
            "en": "No waiver on this P4P day: spend {spend} is charged normally "
            "(coupons first).",
            "zh": "本直通车日不免单：消耗 {spend} 按正常规则扣费（优先使用卡券）。",
        },
        "wv.held": {
            "en": "Held (frozen) now: {held}, so cash shows {shown} instead of "
            "{cash} until the settlement, even on a waiver day (R21).",
            "zh": "当前冻结：{held}，因此结算前现金显示为 {shown} 而不是 {cash}，"
            "免单日也是如此（R21）。",
        },
        "wv.held.plain": {
            "en": "Held (frozen) now: {held}, so cash shows {shown} instead of "
            "{cash} until the settlement (R21).",
            "zh": "当前冻结：{held}，因此结算前现金显示为 {shown} 而不是 "
            "{cash}（R21）。",
        },
        "wv.held.zero": {
            "en": "Held (frozen) now: 0.00. Spend is held as it accrues, so the "
            "cash shown drops at once, even on a waiver day (R21).",
            "zh": "当前冻结：0.00。消耗产生时即被冻结，因此即使在免单日，"
            "显示的现金也会立即下降（R21）。",
        },
        "wv.settle.back": {
            "en": "At the {end} settlement the waiver applies first: {waived} "
            "of the held amount comes back, {charged} is charged.",
            "zh": "{end} 结算时先按免单处理：冻结金额中 {waived} 退回，{charged} "
            "实际扣费。",
        },
        "wv.settle.idle": {
            "en": "At the {end} settlement the waiver applies first and the "
            "held amount it covers comes back.",
            "zh": "{end} 结算时先按免单处理，免单覆盖的冻结金额退回。",
        },
        "wv.bal.shown": {
            "en": "Cash shown now: {shown} ({cash} less {held} held, R21)",
            "zh": "当前显示现金：{shown}（{cash} 减去冻结 {held}，R21）",
        },
        "wv.preview": {
            "en": "If settled now: waived {waived} · coupons {coupon} · cash "
            "{cash} · red packet {red_packet}",
            "zh": "如果现在结算：免单 {waived} · 卡券 {coupon} · 现金 {cash}"
            " · 红包 {red_packet}",
        },
        "wv.bal.title": {"en": "Balances", "zh": "余额"},
        "wv.bal.cash": {"en": "Cash", "zh": "现金"},
        "wv.bal.red_packet": {"en": "Red packet", "zh": "红包"},
        "wv.bal.coupons": {"en": "Coupons", "zh": "优惠卡券"},
        "wv.bal.paused": {"en": "paused (R19)", "zh": "暂停（R19）"},
        "wv.bal.held": {"en": "Held", "zh": "冻结"},
        "wv.bal.available": {"en": "Available", "zh": "可用"},
        "wv.bal.ads": {"en": "Ads", "zh": "广告"},
        "wv.ads.online": {"en": "● online", "zh": "● 投放中"},
        "wv.ads.offline": {"en": "⚠ offline", "zh": "⚠ 已下线"},
        "wv.chart.title": {
            "en": "Spend per waiver day against the daily cap",
            "zh": "每个免单日的消耗与每日上限",
        },
        "wv.ledger.title": {
            "en": "Ledger: settled P4P days, newest first",
            "zh": "账单：已结算的直通车日（最新在上）",
        },
        "wv.ledger.empty": {
            "en": "Nothing settled yet: the first row appears at {end}.",
            "zh": "尚无结算：第一条记录将在 {end} 出现。",
        },
        "wv.col.day": {"en": "Waiver day", "zh": "免单日"},
        "wv.col.end": {"en": "Settled at", "zh": "结算时间"},
        "wv.col.spend": {"en": "Spend", "zh": "消耗"},
        "wv.col.waived": {"en": "Waived", "zh": "免单"},
        "wv.col.coupon": {"en": "Coupons", "zh": "卡券"},
        "wv.col.cash": {"en": "Cash", "zh": "现金"},
        "wv.col.red_packet": {"en": "Red packet", "zh": "红包"},
        "wv.summary": {
            "en": "Waived in all: {waived} of {possible} possible.\n"
            "Paid on waiver days (spend above the cap): {paid} — cash {cash}, "
            "red packet {red_packet}.\n"
            "Days: {over} above the cap, {within} within it, {idle} with no "
            "spend (used up all the same, R18).",
            "zh": "累计免单：{waived}（最多可免 {possible}）。\n"
            "免单期间实付（超出上限部分）：{paid}，"
            "其中现金 {cash}，红包 {red_packet}。\n"
            "天数：超出上限 {over} 天，上限以内 {within} 天，无消耗 {idle} 天"
            "（同样计为已用，R18）。",
        },
        "wv.summary.title": {"en": "Summary", "zh": "免单总结"},
        "wv.feed.title": {
            "en": "Spend feed (simulated clicks)",
            "zh": "推广消耗（模拟点击）",
        },
        "wv.feed.playing": {"en": "▶ Playing", "zh": "▶ 运行中"},
        "wv.feed.paused": {"en": "|| Paused", "zh": "|| 已暂停"},
        "wv.feed.line": {
            "en": "{state} · {speed} · budget {budget} per P4P day ({left} left)"
            " · seed {seed}",
            "zh": "{state} · {speed} · 每日预算 {budget}（今日剩余 {left}）"
            " · 种子 {seed}",
        },
        "wv.feed.serving": {
            "en": "● Ads online: {keywords} keywords in promotion.",
            "zh": "● 广告投放中：{keywords} 个推广关键词。",
        },
        "wv.feed.offline": {
            "en": "⚠ Ads offline: nothing left to serve (cash + red packet − held "
            "is 0, R21). Top up (t) to bring them back.",
            "zh": "⚠ 广告已下线：可用余额为零（现金 + 红包 − 冻结，R21）。"
            "充值（t）后恢复投放。",
        },
        "wv.feed.budget": {
            "en": "⊘ Daily budget reached: ads pause until the cutoff at {end}.",
            "zh": "⊘ 已达每日预算：广告暂停至 {end} 结算后。",
        },
        "wv.feed.no_keywords": {
            "en": "○ No keywords in promotion, so no clicks (R9: add keywords).",
            "zh": "○ 没有推广中的关键词，因此没有点击（R9：请添加关键词）。",
        },
        "wv.clicks.title": {"en": "Recent clicks", "zh": "最近点击"},
        "wv.clicks.none": {
            "en": "No clicks yet: play the feed (p) or move the clock.",
            "zh": "暂无点击：运行推广（p）或移动时钟。",
        },
        "wv.btn.play": {"en": "▶ Play (p)", "zh": "▶ 运行 (p)"},
        "wv.btn.pause": {"en": "|| Pause (p)", "zh": "|| 暂停 (p)"},
        "wv.btn.speed": {"en": "Speed (s)", "zh": "速度 (s)"},
        "wv.btn.before": {"en": "Before cutoff (b)", "zh": "结算前 (b)"},
        "wv.btn.cutoff": {"en": "To cutoff (n)", "zh": "到结算 (n)"},
        "wv.btn.day": {"en": "+1 day (d)", "zh": "+1 天 (d)"},
        "wv.btn.date": {"en": "To a date… (j)", "zh": "指定时间… (j)"},
        "wv.btn.top_up": {"en": "Top up… (t)", "zh": "充值… (t)"},
        "wv.btn.budget": {"en": "Budget… (u)", "zh": "预算… (u)"},
        "key.activate": {"en": "Activate", "zh": "开启免单"},
        "key.feed_play": {"en": "Play/pause", "zh": "运行/暂停"},
        "key.feed_speed": {"en": "Speed", "zh": "速度"},
        "key.jump_before": {"en": "Before cutoff", "zh": "结算前"},
        "key.jump_cutoff": {"en": "Cutoff", "zh": "结算"},
        "key.jump_day": {"en": "+1 day", "zh": "+1 天"},
        "key.jump_date": {"en": "Date", "zh": "指定时间"},
        "key.top_up": {"en": "Top up", "zh": "充值"},
        "key.budget": {"en": "Budget", "zh": "预算"},
        "help.waiver.title": {"en": "Spend waiver", "zh": "新手免单"},
        "help.waiver": {
            "en": "Before activation this screen says what locks the waiver, "
            "your tier and the deadline. While it runs: the open P4P day "
            "against the daily cap, what settlement would do now, balances, "
            "the ledger and a chart.\n\nSpend is held (frozen) as it accrues, "
            "so cash drops even on a waiver day; at the 16:00 cutoff the "
            "waiver applies first and the waived part goes back (R21).\n\n"
            "Keys: **a** activate, **p** play/pause the feed, **s** speed, "
            "**b** just before the next cutoff, **n** to the cutoff, **d** +1 "
            "day, **j** to a date, **t** top up, **u** budget and seed.",
            "zh": "开启前，本页说明免单受何限制、您的档位和截止时间。免单期间显示："
            "当前直通车日的消耗与每日上限、此刻结算的结果、余额、账单和图表。\n\n"
            "消耗产生时先冻结，因此免单日现金余额也会下降；16:00 结算时先扣除免单，"
            "免单部分退回（R21）。\n\n按键：**a** 开启免单，**p** 运行/暂停推广，"
            "**s** 速度，**b** 跳到结算前，**n** 跳到结算，**d** 前进 1 天，"
            "**j** 指定时间，**t** 充值，**u** 预算与种子。",
        },
        "help.waiver.chart.title": {"en": "Spend chart", "zh": "消耗图表"},
        "help.waiver.chart": {
            "en": "One bar per waiver day. █ is the part within the daily cap "
            "(waived), ▒ the part above it (charged, split between cash and red "
            "packet, R20). The dotted line is the cap; ▲ marks today.",
            "zh": "每根柱代表一个免单日。█ 为上限以内（免单），▒ 为超出上限"
            "（扣费，按现金与红包比例分摊，R20）。虚线为每日上限；▲ 表示今天。",
        },
        "help.waiver.ledger.title": {"en": "Ledger", "zh": "账单"},
        "help.waiver.ledger": {
            "en": "Every settled P4P day, newest first: spend, the waived part, "
            "and what coupons, cash and red packet paid. Waived + coupons + "
            "cash + red packet = spend, to the fen.",
            "zh": "每个已结算的直通车日，最新在上：消耗、免单部分，以及卡券、现金、"
            "红包各付多少。免单 + 卡券 + 现金 + 红包 = 消耗，精确到分。",
        },
    }
)

FEED_BUTTONS = ("play", "speed", "before", "cutoff", "day", "date", "top_up", "budget")
RECENT_SHOWN = 5


class LedgerTable(DataTable):
    """The settled P4P days, newest first."""

    HELP_KEY = "waiver.ledger"


class WaiverScreen(PlanScreen):
    """Everything about step 3, live as the simulated clock runs."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/waiver.tcss"

    HELP_KEY = "waiver"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("a", "activate", "Activate", id="activate"),
        Binding("p", "feed('play')", "Play/pause", id="feed_play"),
        Binding("s", "feed('speed')", "Speed", id="feed_speed"),
        Binding("b", "feed('before')", "Before cutoff", id="jump_before"),
        Binding("n", "feed('cutoff')", "Cutoff", id="jump_cutoff"),
        Binding("d", "feed('day')", "+1 day", id="jump_day"),
        Binding("j", "feed('date')", "Date", id="jump_date"),
        Binding("t", "feed('top_up')", "Top up", id="top_up"),
        Binding("u", "feed('budget')", "Budget", id="budget"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._ledger_key: tuple[int, str] | None = None
        self._activated_shown: bool | None = None

    # -------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="wv-body"):
            yield Static(self.t("wv.title"), classes="screen-title")
            yield Static(id="wv-state", classes="wv-panel")
            with Vertical(id="wv-pre"):
                yield Static(id="wv-deadline", classes="wv-panel")
                yield Static(id="wv-tier", classes="wv-panel")
                yield Button(self.t("wv.activate"), id="wv-activate", variant="primary")
            summary = Static(id="wv-summary", classes="wv-panel")
            summary.border_title = self.t("wv.summary.title")
            yield summary
            with Vertical(id="wv-live"):
                with Vertical(id="wv-window", classes="wv-panel"):
                    yield Static(id="wv-window-head")
                    yield SpendGauge(id="wv-gauge")
                    yield Static(id="wv-window-text")
                balances = Static(id="wv-balances", classes="wv-panel")
                balances.border_title = self.t("wv.bal.title")
                yield balances
            with Vertical(id="wv-feed", classes="wv-panel") as feed:
                feed.border_title = self.t("wv.feed.title")
                yield Static(id="wv-feed-line")
                with Grid(id="wv-controls"):
                    for name in FEED_BUTTONS:
                        yield Button(
                            self.t(f"wv.btn.{name}"), id=f"feed-{name}", compact=True
                        )
            chart = SpendChart(id="wv-chart")
            chart.border_title = self.t("wv.chart.title")
            chart.add_class("wv-panel")
            yield chart
            with Vertical(id="wv-ledger-box", classes="wv-panel") as box:
                box.border_title = self.t("wv.ledger.title")
                yield Static(id="wv-ledger-empty")
                yield LedgerTable(id="wv-ledger", cursor_type="row", zebra_stripes=True)
            clicks = Static(id="wv-clicks", classes="wv-panel")
            clicks.border_title = self.t("wv.clicks.title")
            yield clicks
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "tick", self._on_tick, init=False)
        self._ledger_key = None
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once activated there is nothing left to activate: not in the Footer.
        return not (action == "activate" and self.engine.activated_at is not None)

    def _on_tick(self) -> None:
        # Also under a form (top up, jump, budget): the feed goes on.
        if in_view(self):
            self.refresh_view()

    # ------------------------------------------------------------- refresh

    def refresh_view(self) -> None:
        """Update every part in place; cheap enough for each feed tick."""
        if not self.is_mounted:
            return
        engine = self.engine
        stage = engine.stage
        activated = engine.activated_at is not None
        if activated != self._activated_shown:
            self._activated_shown = activated
            self.refresh_bindings()
        self._show_state(engine, stage)
        _show(self.query_one("#wv-pre"), not activated)
        if not activated:
            self._show_deadline(engine, stage)
            self._show_tier(engine)
            button = self.query_one("#wv-activate", Button)
            button.disabled = status.waiver_lock(engine, self.lang) is not None
        summary = self.query_one("#wv-summary", Static)
        _show(summary, stage == "finished")
        if stage == "finished":
            _put(summary, self._summary(engine))
        self._show_feed(engine)
        self._show_window(engine)
        self._show_balances(engine)
        chart = self.query_one("#wv-chart", SpendChart)
        _show(chart, activated)
        if activated:
            self._show_chart(engine, chart)
        self._show_ledger(engine)
        self._show_clicks()

    def _show_state(self, engine: Engine, stage: str) -> None:
        box = self.query_one("#wv-state", Static)
        lang = self.lang
        tier = engine.tier
        if stage == "waiver" and tier is not None:
            text = self.t(
                "wv.running",
                day=engine.open_waiver_day,
                days=tier.days,
                next=timeutil.show(engine.window_end),
                left=status.countdown(engine.window_end - engine.clock, lang),
                days_left=engine.days_left,
            )
        elif stage == "finished" and tier is not None:
            text = self.t("wv.finished", days=tier.days)
        elif stage == "lapsed":
            text = self.t("wv.lapsed", deadline=status.deadline_text(engine))
        else:
            reason = status.waiver_lock(engine, lang)
            text = self.t("wv.locked", reason=reason) if reason else self.t("wv.ready")
        _put(box, Text(text))
        for name in ("waiver", "finished", "lapsed", "ready"):
            box.set_class(stage == name, f"-{name}")
        box.set_class(
            stage not in ("waiver", "finished") and text.startswith("⊘"), "-locked"
        )

    def _show_deadline(self, engine: Engine, stage: str) -> None:
        box = self.query_one("#wv-deadline", Static)
        plan = status.plan_status(engine, self.lang)
        deadline = status.deadline_text(engine)
        if plan.seconds_left < 0:
            text = Text(self.t("wv.deadline.past", deadline=deadline), "bold")
        else:
            text = Text(
                self.t(
                    "wv.deadline",
                    deadline=deadline,
                    left=status.countdown(plan.seconds_left, self.lang),
                )
            )
            if plan.warning:
                text.append("\n" + self.t("wv.deadline.warn"), "bold")
        _put(box, text)
        box.set_class(plan.warning, "-warning")
        box.set_class(plan.seconds_left < 0, "-lapsed")

    def _show_tier(self, engine: Engine) -> None:
        rules = engine.rules
        tier = engine.tier
        recharge = money.fmt_grouped(engine.account.recharge)
        if tier is None:
            head = Text(
                self.t(
                    "wv.no_tier",
                    recharge=recharge,
                    minimum=money.fmt_grouped(rules.tiers[0].recharge),
                )
            )
        else:
            head = Text(
                self.t(
                    "wv.tier",
                    recharge=recharge,
                    cap=money.fmt_grouped(tier.daily_cap),
                    days=tier.days,
                    total=money.fmt_grouped(tier.daily_cap * tier.days),
                )
            )
        table = Table(box=None, padding=(0, 1), show_edge=False, pad_edge=False)
        table.add_column(" ", width=1)
        # Amounts never shrink to "10,00…" on a narrow screen (the rule
        # trace open beside it): the headers and the marker wrap instead.
        widths = [
            max(len(money.fmt_grouped(getattr(row, name))) for row in rules.tiers)
            for name in ("recharge", "daily_cap")
        ]
        for name, width in zip(("recharge", "cap"), widths, strict=True):
            table.add_column(
                self.t(f"wv.col.{name}"), justify="right", min_width=width, no_wrap=True
            )
        days = self.t("wv.col.days")
        table.add_column(days, justify="right", min_width=cell_len(days))
        table.add_column("", min_width=cell_len(self.t("wv.yours")))
        for row in rules.tiers:
            mine = row == tier
            table.add_row(
                "▶" if mine else "",
                money.fmt_grouped(row.recharge),
                money.fmt_grouped(row.daily_cap),
                str(row.days),
                self.t("wv.yours") if mine else "",
                style="bold reverse" if mine else None,
            )
        key = (head.plain, self.lang, tier)
        tier_box = self.query_one("#wv-tier", Static)
        _put(tier_box, Group(head, Text(""), table), key=key)

    def _summary(self, engine: Engine) -> Text:
        assert engine.tier is not None
        cap = engine.tier.daily_cap
        rows = [row for row in engine.ledger if row.waiver_day is not None]
        cash = sum(row.cash for row in rows)
        red_packet = sum(row.red_packet for row in rows)
        return Text(
            self.t(
                "wv.summary",
                waived=money.fmt_grouped(sum(row.waived for row in rows)),
                possible=money.fmt_grouped(cap * engine.tier.days),
                paid=money.fmt_grouped(cash + red_packet),
                cash=money.fmt_grouped(cash),
                red_packet=money.fmt_grouped(red_packet),
                over=sum(1 for row in rows if row.spend > cap),
                within=sum(1 for row in rows if 0 < row.spend <= cap),
                idle=sum(1 for row in rows if row.spend == 0),
            )
        )

    def _show_feed(self, engine: Engine) -> None:
        driver = self.plan_app.feed
        driver.sync_keywords()
        settings = driver.settings
        feed = driver.feed
        state = self.t("wv.feed.playing" if settings.playing else "wv.feed.paused")
        line = Text(
            self.t(
                "wv.feed.line",
                state=state,
                speed=speed_text(settings.speed, self.lang),
                budget=money.fmt_grouped(settings.budget),
                left=money.fmt_grouped(feed.budget_left),
                seed=settings.seed,
            )
        )
        if not feed.keywords:
            line.append("\n" + self.t("wv.feed.no_keywords"))
        elif not engine.ads_online:
            line.append("\n" + self.t("wv.feed.offline"), "bold")
        elif feed.budget_reached:
            end = timeutil.show(engine.window_end)
            line.append("\n" + self.t("wv.feed.budget", end=end), "bold")
        else:
            keywords = len(feed.keywords)
            line.append("\n" + self.t("wv.feed.serving", keywords=keywords))
        _put(self.query_one("#wv-feed-line", Static), line)
        self.query_one("#wv-feed").set_class(not engine.ads_online, "-offline")
        play = self.query_one("#feed-play", Button)
        label = self.t("wv.btn.pause" if settings.playing else "wv.btn.play")
        if str(play.label) != label:
            play.label = label

    def _show_window(self, engine: Engine) -> None:
        head = self.t(
            "wv.window",
            start=timeutil.show(engine.window_start),
            end=timeutil.show(engine.window_end),
        )
        _put(self.query_one("#wv-window-head", Static), Text(head, "bold"))
        gauge = self.query_one("#wv-gauge", SpendGauge)
        preview = engine.preview_settlement()
        held = money.fmt_grouped(engine.held)
        lines = Text()
        day = engine.open_waiver_day
        if day is not None and engine.tier is not None:
            cap = engine.tier.daily_cap
            _show(gauge, True)
            gauge.set_values(engine.held, cap)
            lines.append(
                self.t(
                    "wv.window.day",
                    day=day,
                    spend=held,
                    cap=money.fmt_grouped(cap),
                    pct=engine.held * 100 // cap,
                )
                + "\n"
            )
            if engine.held > cap:
                over = money.fmt_grouped(engine.held - cap)
                lines.append(self.t("wv.window.over", over=over) + "\n", "bold")
            else:
                room = money.fmt_grouped(cap - engine.held)
                lines.append(self.t("wv.window.room", room=room) + "\n")
        else:
            _show(gauge, False)
            lines.append(self.t("wv.window.none", spend=held) + "\n")
        shown, _ = _shown_cash(engine)
        if engine.held:
            text = self.t(
                "wv.held" if day is not None else "wv.held.plain",
                held=held,
                shown=money.fmt_grouped(shown),
                cash=money.fmt_grouped(engine.cash),
            )
        else:
            text = self.t("wv.held.zero")
        lines.append(text + "\n")
        end = timeutil.show(engine.window_end)
        if day is None:
            # wv.window.none already says how it is charged.
            text = ""
        elif engine.held:
            text = self.t(
                "wv.settle.back",
                end=end,
                waived=money.fmt_grouped(preview.waived),
                charged=money.fmt_grouped(engine.held - preview.waived),
            )
        else:
            text = self.t("wv.settle.idle", end=end)
        if text:
            lines.append(text + "\n")
        lines.append(
            self.t(
                "wv.preview",
                waived=money.fmt_grouped(preview.waived),
                coupon=money.fmt_grouped(preview.coupon),
                cash=money.fmt_grouped(preview.cash),
                red_packet=money.fmt_grouped(preview.red_packet),
            )
        )
        _put(self.query_one("#wv-window-text", Static), lines)

    def _show_balances(self, engine: Engine) -> None:
        """Two label / value pairs a line, so it fits 80 columns in Chinese."""
        running = engine.open_waiver_day is not None
        paused = f"⊘ {self.t('wv.bal.paused')}" if running else ""
        ads = self.t("wv.ads.online" if engine.ads_online else "wv.ads.offline")
        rows = [
            ("wv.bal.cash", money.fmt_grouped(engine.cash)),
            ("wv.bal.red_packet", money.fmt_grouped(engine.red_packet), ""),
            ("wv.bal.held", money.fmt_grouped(engine.held)),
            ("wv.bal.available", money.fmt_grouped(engine.available), ""),
            ("wv.bal.ads", ads),
            ("wv.bal.coupons", money.fmt_grouped(engine.coupons), paused),
        ]
        table = Table.grid(padding=(0, 1))
        for justify in ("left", "right", "left", "left", "right", "left"):
            table.add_column(justify=justify)  # type: ignore[arg-type]
        for index in range(0, len(rows), 2):
            left, value = rows[index]
            right, right_value, note = rows[index + 1]
            table.add_row(self.t(left), value, "  ", self.t(right), right_value, note)
        content: RenderableType = table
        shown, held_cash = _shown_cash(engine)
        if held_cash:
            note = self.t(
                "wv.bal.shown",
                shown=money.fmt_grouped(shown),
                cash=money.fmt_grouped(engine.cash),
                held=money.fmt_grouped(held_cash),
            )
            content = Group(table, Text(note))
        key = (tuple(rows), bool(held_cash), shown)
        lines = 4 if held_cash else 3
        _put(self.query_one("#wv-balances", Static), content, key=key, lines=lines)

    def _show_chart(self, engine: Engine, chart: SpendChart) -> None:
        tier = engine.tier
        assert tier is not None
        spends: list[int | None] = [None] * tier.days
        for row in engine.ledger:
            if row.waiver_day is not None:
                spends[row.waiver_day - 1] = row.spend
        today = engine.open_waiver_day
        if today is not None:
            spends[today - 1] = engine.held
        reached = today or engine.days_used
        chart.set_data(tier.days, tier.daily_cap, spends[:reached], today)

    def _show_ledger(self, engine: Engine) -> None:
        key = (len(engine.ledger), self.lang)
        empty = self.query_one("#wv-ledger-empty", Static)
        table = self.query_one("#wv-ledger", LedgerTable)
        _show(empty, not engine.ledger)
        _show(table, bool(engine.ledger))
        if not engine.ledger:
            end = timeutil.show(engine.window_end)
            _put(empty, Text(self.t("wv.ledger.empty", end=end)))
        if key == self._ledger_key:
            return
        self._ledger_key = key
        table.clear(columns=True)
        for name in ("day", "end", "spend", "waived", "coupon", "cash", "red_packet"):
            table.add_column(self.t(f"wv.col.{name}"), key=name)
        days = engine.tier.days if engine.tier else 0
        for row in reversed(engine.ledger):
            day = "—" if row.waiver_day is None else f"{row.waiver_day}/{days}"
            amounts = (row.spend, row.waived, row.coupon, row.cash, row.red_packet)
            table.add_row(
                Text(day, justify="right"),
                timeutil.show(row.window_end)[5:],
                *(Text(money.fmt_grouped(fen), justify="right") for fen in amounts),
            )

    def _show_clicks(self) -> None:
        recent = list(self.plan_app.feed.feed.recent)[-RECENT_SHOWN:]
        box = self.query_one("#wv-clicks", Static)
        if not recent:
            _put(box, Text(self.t("wv.clicks.none")))
            return
        table = Table.grid(padding=(0, 2))
        table.add_column()
        table.add_column()
        table.add_column(justify="right")
        for click in reversed(recent):
            table.add_row(
                timeutil.show(click.at, True)[5:],
                click.keyword.text(self.lang),
                money.fmt(click.cost),
            )
        key = (self.lang, tuple(recent))
        _put(box, table, key=key, lines=len(recent))

    # ------------------------------------------------------------- actions

    def action_activate(self) -> None:
        from app.tui.screens.waiver_modals import ActivateConfirm

        reason = status.waiver_lock(self.engine, self.lang)
        if self.engine.activated_at is not None:
            return
        if reason:
            self.notify(reason, severity="warning", timeout=8)
            return
        self.app.push_screen(ActivateConfirm())

    def action_feed(self, name: str) -> None:
        driver = self.plan_app.feed
        if name in ("date", "top_up", "budget"):
            driver.open_form(name)
            return
        {
            "play": driver.toggle,
            "speed": driver.cycle_speed,
            "before": driver.jump_before_cutoff,
            "cutoff": driver.jump_to_cutoff,
            "day": driver.jump_day,
        }[name]()
        self.refresh_view()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "wv-activate":
            self.action_activate()
        elif button.startswith("feed-"):
            self.action_feed(button.removeprefix("feed-"))


def _shown_cash(engine: Engine) -> tuple[int, int]:
    """The cash balance as the account shows it during the day (R21): what
    is held comes off it at once. Returns (shown, the part held from cash)."""
    held_cash = min(engine.held, engine.cash)
    return engine.cash - held_cash, held_cash


def _show(widget: Widget, visible: bool) -> None:
    if widget.display != visible:
        widget.display = visible


def _put(
    widget: Static,
    content: RenderableType,
    *,
    key: object = None,
    lines: int | None = None,
) -> None:
    """Update `widget` only when what it shows changed, and lay the screen
    out again only when its height may have: at 1 hour per second this runs
    several times a second, and a layout pass is the expensive part."""
    if isinstance(content, Text):
        key = (content.plain, tuple(content.spans))
        width = widget.content_size.width
        if width:
            lines = len(content.wrap(widget.app.console, width))
    shown = getattr(widget, "_plan_shown", None)
    if shown is not None and shown[0] == key:
        return
    layout = shown is None or lines is None or shown[1] != lines
    widget._plan_shown = (key, lines)  # type: ignore[attr-defined]
    widget.update(content, layout=layout)

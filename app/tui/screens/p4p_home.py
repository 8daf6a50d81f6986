"""The P4P home (外贸直通车首页): balances, what is in promotion, and the
popup with the plan's status that opens on entry (R22)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Static

from app.core import i18n, money, timeutil
from app.tui.base import PlanModal, PlanScreen
from app.tui.screens.profiles import MODAL_KEYS
from app.tui.widgets.status import StatusBanner, TopBar

i18n.register(
    {
        "ph.title": {"en": "P4P home", "zh": "外贸直通车首页"},
        "ph.balances": {"en": "Account balances (CNY)", "zh": "帐户余额（元）"},
        "ph.cash": {"en": "Cash", "zh": "现金"},
        "ph.red_packet": {"en": "Red packet", "zh": "红包"},
        "ph.coupons": {"en": "Coupons", "zh": "优惠卡券"},
        "ph.held": {"en": "Held (today's spend)", "zh": "冻结（今日消耗）"},
        "ph.cash_shown": {
            "en": "  shown now (less held)",
            "zh": "  当前显示（减冻结）",
        },
        "ph.available": {"en": "Available to ads", "zh": "广告可用"},
        "ph.held_note": {
            "en": "Available = cash + red packet − held. Spend is held as it "
            "accrues, so the cash shown drops during the day, even on a waiver "
            "day; at the {end} settlement the waiver applies first and what it "
            "covers comes back (R21).",
            "zh": "可用＝现金＋红包－冻结。消耗产生时即被冻结，因此即使在免单日，"
            "显示的现金也会在当天下降；{end} 结算时先按免单处理，免单部分退回（R21）。",
        },
        "ph.promotion": {"en": "In promotion", "zh": "推广中"},
        "ph.products": {"en": "Products", "zh": "产品"},
        "ph.keywords": {"en": "Keywords", "zh": "关键词"},
        "ph.required": {"en": "{value} of {required}", "zh": "{value} / {required}"},
        "ph.ads_on": {"en": "✓ Ads online", "zh": "✓ 广告在线"},
        "ph.ads_off": {
            "en": "✗ Ads offline: nothing available (R21); top up to resume.",
            "zh": "✗ 广告已下线：无可用余额（R21），充值后恢复。",
        },
        "ph.tier": {
            "en": "Waiver tier (R15): {cap} a day for {days} days",
            "zh": "免单档位（R15）：每天 {cap}，共 {days} 天",
        },
        "ph.no_tier": {
            "en": "No waiver tier: opening recharge below {minimum} (R15)",
            "zh": "无免单档位：开户充值额低于 {minimum}（R15）",
        },
        "ph.status": {"en": "Plan status", "zh": "计划状态"},
        "ph.go_step": {"en": "Go to this step", "zh": "前往此步骤"},
        "ph.popup.title": {"en": "P4P · plan status", "zh": "外贸直通车 · 计划状态"},
        "key.plan_status": {"en": "Plan status", "zh": "计划状态"},
        "key.go_step": {"en": "Go to step", "zh": "前往步骤"},
        "help.p4p_home.title": {"en": "P4P home", "zh": "外贸直通车首页"},
        "help.p4p_home": {
            "en": "The ad account: cash, red packet and coupons after the last "
            "settlement, what today's spend holds, and what ads can still "
            "use. A popup with the plan's status opens on entry (R22); **s** "
            "shows it again, **Esc** goes back.",
            "zh": "广告帐户：上次结算后的现金、红包和优惠卡券，今日消耗冻结的金额，"
            "以及广告还能使用的余额。进入时会弹出计划状态（R22）；"
            "**s** 再次查看，**Esc** 返回。",
        },
        "help.plan_status.title": {"en": "Plan status", "zh": "计划状态"},
        "help.plan_status": {
            "en": "The same status as the Marketing Center banner: the step, "
            "what to do next and the deadline countdown. **Enter** goes to "
            "that step, **Esc** closes.",
            "zh": "与营销中心横幅相同的状态：所处步骤、下一步和截止倒计时。"
            "**回车** 前往该步骤，**Esc** 关闭。",
        },
    }
)

# The screen that does what the status says to do next.
NEXT_SCREEN = {
    "self_test": "self_test",
    "tasks": "tasks",
    "ready": "waiver",
    "waiver": "waiver",
    "finished": "waiver",
}


class PlanStatusPopup(PlanModal):
    """The popup on the P4P home: the plan's status (R22)."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="close_popup"),
        Binding("enter", "go", "Go to step", id="go_step"),
        *MODAL_KEYS,
    ]
    HELP_KEY = "plan_status"

    def compose(self) -> ComposeResult:
        with Vertical(id="ph-popup"):
            yield Static(self.t("ph.popup.title"), id="ph-popup-title")
            yield StatusBanner()
            with Horizontal(id="ph-popup-buttons"):
                if self.engine.stage in NEXT_SCREEN:
                    yield Button(self.t("ph.go_step"), id="go", variant="primary")
                yield Button(self.t("close"), id="close")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "go":
            self.action_go()
        else:
            self.dismiss()

    def action_go(self) -> None:
        target = NEXT_SCREEN.get(self.engine.stage)
        self.dismiss()
        if target is not None:
            self.plan_app.open_screen(target)


class P4PHomeScreen(PlanScreen):
    """Balances and promotion counts; the status popup on entry."""

    # Loaded with the screen, not at start-up: see docs/performance.md.
    CSS_PATH = "../css/onboarding.tcss"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("s", "plan_status", "Plan status", id="plan_status"),
    ]
    HELP_KEY = "p4p_home"

    def __init__(self, popup: bool = True) -> None:
        super().__init__()
        self.popup = popup

    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="ph-body"):
            yield Static(self.t("ph.title"), classes="screen-title")
            with Horizontal(id="ph-cards"):
                yield Static(id="ph-balances", classes="ph-card")
                yield Static(id="ph-promotion", classes="ph-card")
            yield Static(id="ph-ads")
            yield Button(self.t("ph.status"), id="ph-status")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "tick", self.refresh_view, init=False)
        self.refresh_view()
        if self.popup:
            self.popup = False  # once per entry, not on every language switch
            self.app.push_screen(PlanStatusPopup())

    def refresh_view(self) -> None:
        engine = self.engine
        rules = engine.rules
        balances = self.query_one("#ph-balances", Static)
        balances.border_title = self.t("ph.balances")
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column()
        table.add_column(justify="right")
        # R21: what is held comes off the cash shown at once.
        held_cash = min(engine.held, engine.cash)
        for key, fen in (
            ("cash", engine.cash),
            ("cash_shown", engine.cash - held_cash),
            ("red_packet", engine.red_packet),
            ("coupons", engine.coupons),
            ("held", engine.held),
        ):
            table.add_row(self.t(f"ph.{key}"), money.fmt_grouped(fen))
        table.add_row(
            Text(self.t("ph.available"), style="bold"),
            Text(money.fmt_grouped(engine.available), style="bold"),
        )
        end = timeutil.show(engine.window_end)
        note = Text(self.t("ph.held_note", end=end), style="dim")
        balances.update(Group(table, Text(""), note))

        promotion = self.query_one("#ph-promotion", Static)
        promotion.border_title = self.t("ph.promotion")
        counts = Table.grid(padding=(0, 2), expand=True)
        counts.add_column()
        counts.add_column(justify="right")
        status = engine.task_status()
        for key in ("products", "keywords"):
            value, required, met = status[key]
            mark = "✓" if met else "✗"
            counts.add_row(
                self.t(f"ph.{key}"),
                f"{mark} {self.t('ph.required', value=value, required=required)}",
            )
        tier = engine.tier
        if tier is None:
            tier_text = self.t(
                "ph.no_tier", minimum=money.fmt_grouped(rules.tiers[0].recharge)
            )
        else:
            tier_text = self.t(
                "ph.tier", cap=money.fmt_grouped(tier.daily_cap), days=tier.days
            )
        promotion.update(Group(counts, Text(f"\n{tier_text}", style="dim")))

        ads = self.query_one("#ph-ads", Static)
        ads.update(Text(self.t("ph.ads_on" if engine.ads_online else "ph.ads_off")))
        ads.set_class(not engine.ads_online, "-offline")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ph-status":
            self.action_plan_status()

    def action_plan_status(self) -> None:
        self.app.push_screen(PlanStatusPopup())

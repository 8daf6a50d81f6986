"""Building the app for Pilot and snapshot tests: a frozen simulated clock,
a fixed language and seed, an in-memory profile (nothing read from or
written to a real state folder)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app.core import money, timeutil
from app.core.session import Session, default_account
from app.tui.app import GrowthPlanApp

#: Every TUI test starts here unless it says otherwise.
FROZEN = timeutil.parse_time("2026-07-01 09:00", "tests")
SIZE = (100, 30)
SMALL = (80, 24)


def make_session(clock: int = FROZEN, **account: Any) -> Session:
    """An in-memory session; `account` overrides fields of the default
    account (amounts in CNY are converted to fen)."""
    base = default_account(timeutil.to_bj(clock).date())
    for key in ("recharge", "cash", "red_packet", "coupons"):
        if key in account:
            account[key] = money.parse_amount(account[key], key)
    if "recharge" in account and "cash" not in account:
        account["cash"] = account["recharge"]
    return Session.in_memory("trainee", replace(base, **account), clock)


def make_app(
    lang: str = "en",
    session: Session | None = None,
    *,
    popup: bool = True,
    **kwargs: Any,
) -> GrowthPlanApp:
    return GrowthPlanApp(
        session or make_session(), lang=lang, show_popup=popup, **kwargs
    )


def passed_session(**account: Any) -> Session:
    """Popup seen, self-test passed: step 2 open."""
    session = make_session(**account)
    session.engine.open_marketing_center()
    session.engine.take_self_test(90)
    return session


def ready_session(**account: Any) -> Session:
    """Self-test passed and every task met: ready to activate."""
    session = passed_session(**account)
    engine = session.engine
    engine.set_info_score(engine.rules.info_score_required)
    engine.add_products(engine.rules.products_required)
    engine.add_keywords(engine.rules.keywords_required)
    return session


@pytest.fixture
def app_factory():
    return make_app

"""The simulated spend feed: clicks on the promoted keywords, one at a time.

Clicks form a seeded random stream per P4P window (cutoff to cutoff): the
stream of a window depends only on the seed, the window's start and the
promoted keywords, never on how the clock was moved (one big step or many
small ones) or on the account's money. The account only filters it: a click
is dropped while the ads are offline (R21: nothing left to serve) or once
the daily budget would be exceeded. Each accrued click goes through
`Engine.spend`; the clock moves with `Engine.advance_to`, so each cutoff
passed is settled in order.

Nothing per click is kept beyond the open window: the engine merges a
settled window's spend events into one, and the feed keeps only a bounded
deque of recent clicks for display. No Textual here.
"""

from __future__ import annotations

import bisect
import random
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from app.core.engine import Engine, LedgerRow

#: Simulated seconds per real second: real time, 1 minute, 1 hour.
SPEEDS = (1, 60, 3600)
#: Expected clicks per promoted keyword per P4P day (before any budget).
CLICKS_PER_KEYWORD_DAY = 4
#: A click costs between this share of the bid and the bid (second price).
MIN_COST_SHARE = 0.4
#: A keyword's bid when nothing better is known, in fen.
DEFAULT_BID = 150
#: A new profile's daily budget, in fen (CNY 300).
DEFAULT_BUDGET = 30000
RECENT_CLICKS = 50


@dataclass(frozen=True, slots=True)
class Keyword:
    """A promoted keyword and its bid (fen per click)."""

    en: str
    zh: str
    bid: int

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Click:
    """One simulated click: when, on which keyword, and what it cost."""

    at: int
    keyword: Keyword
    cost: int  # fen actually accrued (less than drawn if money ran out)


@dataclass(slots=True)
class FeedStep:
    """What one move of the clock did."""

    clicks: int = 0
    spent: int = 0
    settled: list[LedgerRow] = field(default_factory=list)
    cutoffs: int = 0  # cutoffs passed, with or without a ledger row
    went_offline: bool = False
    budget_reached: bool = False


@dataclass
class FeedSettings:
    """What the user sets; kept in the profile's workspace under "feed"."""

    seed: int = 1
    budget: int = DEFAULT_BUDGET  # fen per P4P day
    speed: int = SPEEDS[1]
    playing: bool = False
    budget_hit: int | None = None  # window start whose budget ran out

    @classmethod
    def from_workspace(cls, workspace: Mapping[str, Any]) -> FeedSettings:
        """Read settings, ignoring anything malformed (a default instead)."""
        data = workspace.get("feed")
        settings = cls()
        if not isinstance(data, Mapping):
            return settings
        for name in ("seed", "budget"):
            value = data.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                setattr(settings, name, value)
        if data.get("speed") in SPEEDS:
            settings.speed = data["speed"]
        settings.playing = data.get("playing") is True
        hit = data.get("budget_hit")
        if isinstance(hit, int) and not isinstance(hit, bool):
            settings.budget_hit = hit
        return settings

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "budget": self.budget,
            "speed": self.speed,
            "playing": self.playing,
            "budget_hit": self.budget_hit,
        }


# ---------------------------------------------------------------- keywords


@lru_cache(maxsize=1)
def _catalog_keywords() -> tuple[Keyword, ...]:
    """Catalog keywords, in file order, as generic stand-ins."""
    try:
        from app.core.content import load_catalog

        catalog = load_catalog()
    except Exception:  # content is optional here; a plain list will do
        return ()
    return tuple(
        Keyword(kw.en, kw.zh, kw.bid)
        for product in catalog.products
        for kw in product.keywords
    )


def generic_keywords(count: int) -> tuple[Keyword, ...]:
    """`count` stand-in keywords: the catalog's, then numbered ones."""
    known = _catalog_keywords()
    chosen = list(known[:count])
    for number in range(len(chosen) + 1, count + 1):
        chosen.append(Keyword(f"keyword {number}", f"关键词 {number}", DEFAULT_BID))
    return tuple(chosen)


def promoted_keywords(workspace: Mapping[str, Any], count: int) -> tuple[Keyword, ...]:
    """The keywords the feed clicks on.

    A workspace list under "keywords" (dicts with en / zh / bid in fen) wins;
    without one, `count` generic keywords (the engine's live keyword count)
    with their catalog bids.
    """
    listed = workspace.get("keywords")
    if isinstance(listed, Sequence) and listed:
        found = []
        for item in listed:
            if not isinstance(item, Mapping):
                continue
            bid = item.get("bid")
            if isinstance(bid, bool) or not isinstance(bid, int) or bid <= 0:
                continue
            en = str(item.get("en") or item.get("text") or item.get("id") or "?")
            found.append(Keyword(en, str(item.get("zh") or en), bid))
        if found:
            return tuple(found)
    return generic_keywords(count)


# ------------------------------------------------------------------ stream


def window_clicks(
    seed: int, window_start: int, window_end: int, keywords: Sequence[Keyword]
) -> Iterator[tuple[int, Keyword, int]]:
    """Every click the ads would get in one window: (time, keyword, cost).

    A Poisson stream: each promoted keyword brings CLICKS_PER_KEYWORD_DAY
    clicks a day on average; a higher bid wins more of them. The cost is
    drawn between MIN_COST_SHARE of the bid and the bid, in whole fen.
    """
    if not keywords:
        return
    rng = random.Random(f"feed:{seed}:{window_start}")
    rate = len(keywords) * CLICKS_PER_KEYWORD_DAY / 86400
    weights = []
    total = 0
    for keyword in keywords:
        total += keyword.bid
        weights.append(total)
    at = float(window_start)
    while True:
        at += rng.expovariate(rate)
        second = int(at)
        if second >= window_end:
            return
        keyword = keywords[bisect.bisect_right(weights, rng.random() * total)]
        low = max(1, int(keyword.bid * MIN_COST_SHARE))
        yield second, keyword, rng.randint(low, keyword.bid)


class Feed:
    """Drives an engine with the click stream. `run_to(ts)` is the only way
    the feed moves the clock; the result says what happened on the way."""

    def __init__(
        self,
        engine: Engine,
        keywords: Sequence[Keyword],
        settings: FeedSettings | None = None,
        recent: int = RECENT_CLICKS,
    ) -> None:
        self.engine = engine
        self.settings = settings or FeedSettings()
        self.keywords = tuple(keywords)
        self.recent: deque[Click] = deque(maxlen=recent)
        self._stream: Iterator[tuple[int, Keyword, int]] | None = None
        self._stream_window: int | None = None
        self._pending: tuple[int, Keyword, int] | None = None

    # ------------------------------------------------------------ settings

    def set_keywords(self, keywords: Sequence[Keyword]) -> None:
        """New keywords: the open window's stream is drawn again from its
        start, and only clicks after the clock are served."""
        keywords = tuple(keywords)
        if keywords != self.keywords:
            self.keywords = keywords
            self._stream = None

    def set_seed(self, seed: int) -> None:
        if seed != self.settings.seed:
            self.settings.seed = seed
            self._stream = None

    @property
    def budget_left(self) -> int:
        """What today's budget still allows (the open window's spend is
        exactly what is held)."""
        return max(self.settings.budget - self.engine.held, 0)

    @property
    def budget_reached(self) -> bool:
        return self.settings.budget_hit == self.engine.window_start

    @property
    def serving(self) -> bool:
        """Whether ads get clicks now: keywords, money and budget allow."""
        return (
            bool(self.keywords) and self.engine.ads_online and not (self.budget_reached)
        )

    # ---------------------------------------------------------------- run

    def _next_click(self) -> tuple[int, Keyword, int] | None:
        """The next click of the open window after the clock, if any."""
        engine = self.engine
        if self._stream is None or self._stream_window != engine.window_start:
            self._stream = window_clicks(
                self.settings.seed,
                engine.window_start,
                engine.window_end,
                self.keywords,
            )
            self._stream_window = engine.window_start
            self._pending = None
        if self._pending is None:
            for click in self._stream:
                if click[0] > engine.clock:
                    self._pending = click
                    break
        return self._pending

    def run_to(self, target: int) -> FeedStep:
        """Move the clock to `target`, serving every click on the way and
        settling every cutoff passed. Work is O(clicks + cutoffs)."""
        engine = self.engine
        step = FeedStep()
        while True:
            click = self._next_click()
            if click is None or click[0] > target:
                if engine.window_end > target:
                    engine.advance_to(target)
                    return step
                step.settled.extend(engine.advance_to(engine.window_end))
                step.cutoffs += 1
                continue
            self._pending = None
            engine.advance_to(click[0])
            self._serve(click, step)

    def _serve(self, click: tuple[int, Keyword, int], step: FeedStep) -> None:
        at, keyword, cost = click
        engine = self.engine
        if not engine.ads_online or self.budget_reached:
            return
        if cost > self.budget_left:
            # Ads stop for the rest of the P4P day once the budget is used.
            self.settings.budget_hit = engine.window_start
            step.budget_reached = True
            return
        accrued = engine.spend(cost)
        if accrued:
            self.recent.append(Click(at, keyword, accrued))
            step.clicks += 1
            step.spent += accrued
        if not engine.ads_online:
            step.went_offline = True

"""Text charts for the waiver screen: today's spend against the daily cap,
and spend per waiver day over the whole waiver.

Both are drawn with block characters, so they read on any terminal. The
part within the cap and the part above it differ by glyph as well as by
colour (█ within, ▒ above), and a legend names them in the current
language.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from app.core import i18n, money
from app.tui.base import PlanMixin

#: Eighths of a cell, bottom-up, for bar tops.
BLOCKS = " ▁▂▃▄▅▆▇█"
WITHIN = "green"
ABOVE = "bold red"
ROOM = "dim"

i18n.register(
    {
        "chart.legend": {
            "en": "█ within the cap (waived)  ▒ above the cap (charged)  "
            "┈ cap {cap}  ▲ today  · no spend",
            "zh": "█ 上限内（免单）  ▒ 超出上限（扣费）  "
            "┈ 上限 {cap}  ▲ 今天  · 无消耗",
        },
        "chart.hidden": {
            "en": "(days {first}-{last} of {days})",
            "zh": "（第 {first}-{last} 天，共 {days} 天）",
        },
    }
)


def _scale_top(values: list[int], cap: int) -> int:
    """The value at the top of a chart: room above the cap, and the
    highest value always fits."""
    return max([cap * 3 // 2, *values, 1])


class SpendGauge(Widget):
    """One line: spend so far in the open window against the daily cap.

    █ the part within the cap, ▒ the part above it, ░ room left under the
    cap, ┃ where the cap is.
    """

    DEFAULT_CSS = "SpendGauge { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spend = 0
        self.cap = 1

    def set_values(self, spend: int, cap: int) -> None:
        if (spend, cap) != (self.spend, self.cap):
            self.spend, self.cap = spend, max(cap, 1)
            self.refresh()

    def render(self) -> Text:
        width = max(self.size.width, 4)
        return gauge_text(self.spend, self.cap, width)


def gauge_text(spend: int, cap: int, width: int) -> Text:
    """The gauge as text, `width` cells wide (the cap marker included)."""
    cells = width - 1
    top = _scale_top([spend], cap)
    cap_at = round(cap * cells / top)
    filled = round(spend * cells / top)
    if spend and not filled:
        filled = 1
    text = Text()
    for cell in range(cells):
        if cell == cap_at:
            text.append("┃", "bold")
        if cell < min(filled, cap_at):
            text.append("█", WITHIN)
        elif cap_at <= cell < filled:
            text.append("▒", ABOVE)
        elif cell < cap_at:
            text.append("░", ROOM)
        else:
            text.append(" ")
    if cap_at >= cells:
        text.append("┃", "bold")
    return text


class SpendChart(PlanMixin, Widget):
    """Spend per waiver day (bars) against the daily cap (a dotted line)."""

    DEFAULT_CSS = "SpendChart { height: 9; width: 1fr; }"
    HELP_KEY = "waiver.chart"

    #: Rows of bars; the rest of the height is the axis and the legend.
    BAR_ROWS = 6

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days = 1
        self.cap = 1
        self.spends: list[int | None] = []
        self.today: int | None = None

    def set_data(
        self, days: int, cap: int, spends: list[int | None], today: int | None
    ) -> None:
        """`spends[i]` is day i+1's spend (None: not reached yet); `today`
        is the open waiver day, whose bar grows as clicks come in."""
        data = (days, cap, spends, today)
        if data != (self.days, self.cap, self.spends, self.today):
            self.days, self.cap, self.spends, self.today = days, cap, spends, today
            self.refresh()

    def render(self) -> Text:
        return chart_text(
            self.days,
            self.cap,
            self.spends,
            self.today,
            max(self.size.width, 20),
            self.lang,
            self.BAR_ROWS,
        )


def chart_text(
    days: int,
    cap: int,
    spends: list[int | None],
    today: int | None,
    width: int,
    lang: str,
    rows: int = 6,
) -> Text:
    """The chart as text: bar rows, an axis of day numbers, a legend."""
    values = [value for value in spends if value is not None]
    top = _scale_top(values, cap)
    labels = {
        rows - 1: money.fmt(top),
        min(rows - 1, round(cap * rows * 8 / top) // 8): money.fmt(cap),
        0: "0",
    }
    gutter = max(cell_len(label) for label in labels.values()) + 2

    # Fit the days: up to 3 cells each; if they do not fit, the days
    # around today.
    room = max(width - gutter, 1)
    column = max(1, min(3, room // max(days, 1)))
    shown = min(days, room // column)
    first = 1
    if shown < days:
        anchor = today or len(spends) or 1
        first = max(1, min(anchor - shown // 2, days - shown + 1))
    day_numbers = range(first, first + shown)
    bar = max(1, column - 1)

    cap8 = round(cap * rows * 8 / top)
    text = Text()
    for row in range(rows - 1, -1, -1):
        label = labels.get(row, "")
        pad = " " * (gutter - 2 - cell_len(label))
        text.append(f"{pad}{label} ┤", "dim")
        low = row * 8
        for day in day_numbers:
            value = spends[day - 1] if day <= len(spends) else None
            glyph, style = " ", ""
            if value is not None:
                height = round(value * rows * 8 / top)
                if value and not height:
                    height = 1
                fill = min(max(height - low, 0), 8)
                if fill:
                    over = height > cap8 and low + fill > cap8
                    glyph = (
                        ("▒" if fill == 8 else BLOCKS[fill]) if over else (BLOCKS[fill])
                    )
                    style = ABOVE if over else WITHIN
                elif row == 0 and value == 0:
                    glyph, style = "·", "bold"
            if glyph == " " and low <= cap8 < low + 8:
                glyph, style = "┈", "dim"
            text.append(glyph * bar, style)
            if column > bar:
                text.append("┈" if low <= cap8 < low + 8 else " ", "dim")
        text.append("\n")

    # Axis: today's mark, and day numbers wherever they fit.
    axis = [" "] * (shown * column)
    for index, day in enumerate(day_numbers):
        if day == today:
            axis[index * column] = "▲"
    position = 0
    for index, day in enumerate(day_numbers):
        at = index * column
        mark = str(day)
        if (
            (day == first or day % 5 == 0)
            and at >= position
            and (at + len(mark) <= len(axis))
        ):
            if "▲" in axis[at : at + len(mark)]:
                continue
            axis[at : at + len(mark)] = list(mark)
            position = at + len(mark) + 1
    text.append(" " * gutter)
    text.append("".join(axis), "dim")
    text.append("\n")
    legend = i18n.t("chart.legend", lang, cap=money.fmt(cap))
    if shown < days:
        legend += " " + i18n.t(
            "chart.hidden", lang, first=first, last=first + shown - 1, days=days
        )
    text.append(legend, "dim")
    return text

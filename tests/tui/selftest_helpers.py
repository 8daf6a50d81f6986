"""Answering the self-test from a test: the keys that pick the right (or a
wrong) answer of the question on screen, read from the bank."""

from __future__ import annotations

from app.tui.screens.self_test import LETTERS, SelfTestScreen
from tests.tui.conftest import make_app, make_session

SEED = 7


def self_test_app(lang: str = "en", session=None, seed: int = SEED):
    """The app on Marketing Center, with the next attempt's seed fixed;
    press "1" to open the self-test."""
    session = session or make_session()
    session.engine.open_marketing_center()
    session.workspace["self_test"] = {"seed": seed}
    return make_app(lang, session, popup=False)


def keys_for(screen: SelfTestScreen, right: bool) -> list[str]:
    """Keys that answer the current question right, or wrong."""
    item = screen.item
    answer = item.question.answer
    tf = item.question.kind == "true_false"
    positions = [n for n, o in enumerate(item.options) if (o.key in answer) == right]
    if not right:
        positions = positions[:1]

    def key(n: int) -> str:
        return item.options[n].key if tf else LETTERS[n]

    return [key(n) for n in positions]


async def answer_all(pilot, wrong: int = 0) -> None:
    """Answer every question by keys, the first `wrong` of them wrongly,
    moving on with "n"; stays on the last question."""
    screen = pilot.app.screen
    assert isinstance(screen, SelfTestScreen)
    total = len(screen.attempt.items)
    for n in range(total):
        await pilot.press(*keys_for(screen, right=n >= wrong))
        if n < total - 1:
            await pilot.press("n")
    await pilot.pause()


def answer_directly(screen: SelfTestScreen, wrong: int = 0) -> None:
    """The same without key presses (for snapshot set-up)."""
    for n, item in enumerate(screen.attempt.items):
        answer = item.question.answer
        keys = sorted(answer)
        if n < wrong:
            keys = [next(o.key for o in item.options if o.key not in answer)]
        screen.answers[item.question.id] = keys

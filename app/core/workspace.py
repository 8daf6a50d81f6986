"""The trainee's back-office workspace: which catalog products and keywords
are in promotion, which information display suggestions are done, and the
self-test attempt in progress.

It lives in `session.workspace` (a JSON dict saved with the profile). The
engine keeps only the counts, and the tasks are judged on those (R11), so
every change here also moves the engine's count by the same amount: the
checklist always reflects the live numbers.

No Textual here: the core imports none.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.core import content

if TYPE_CHECKING:
    from app.core.content import Catalog, InfoSuggestion, Keyword, Product
    from app.core.session import Session

PRODUCTS = "promoted_products"
KEYWORDS = "promoted_keywords"
INFO_DONE = "info_done"
SELF_TEST = "self_test"


# ---------------------------------------------------------------- catalog


@lru_cache(maxsize=4)
def load_catalog(content_dir: str | None = None) -> Catalog:
    """The catalog, read once per run (a trainer's edit shows on the next
    start); the screens ask for it on every refresh."""
    return content.load_catalog(content_dir)


def keyword_id(keyword: Keyword) -> str:
    """A keyword's identity in the workspace: its English text."""
    return keyword.en


def all_keywords(catalog: Catalog) -> dict[str, Keyword]:
    return {keyword_id(k): k for p in catalog.products for k in p.keywords}


# ------------------------------------------------------------- products


def promoted_products(workspace: dict[str, Any]) -> list[str]:
    return list(workspace.get(PRODUCTS, []))


def set_promoted(session: Session, product_id: str, on: bool) -> bool:
    """Promote or un-promote one product; False if nothing changed."""
    ids = promoted_products(session.workspace)
    if (product_id in ids) == on:
        return False
    if on:
        ids.append(product_id)
    else:
        ids.remove(product_id)
    session.workspace[PRODUCTS] = ids
    session.engine.add_products(1 if on else -1)
    return True


# ------------------------------------------------------------- keywords


def promoted_keywords(workspace: dict[str, Any]) -> list[str]:
    return list(workspace.get(KEYWORDS, []))


def keyword_suggestions(catalog: Catalog, workspace: dict[str, Any]) -> list[Keyword]:
    """Keywords of the promoted products not yet in promotion, in the
    order the products were promoted."""
    promoted = set(promoted_products(workspace))
    taken = set(promoted_keywords(workspace))
    order = {pid: n for n, pid in enumerate(promoted_products(workspace))}
    products = sorted(
        (p for p in catalog.products if p.id in promoted), key=lambda p: order[p.id]
    )
    seen: set[str] = set()
    out = []
    for product in products:
        for keyword in product.keywords:
            kid = keyword_id(keyword)
            if kid not in taken and kid not in seen:
                seen.add(kid)
                out.append(keyword)
    return out


def add_keywords(session: Session, ids: list[str]) -> int:
    """Put keywords into promotion; returns how many were new."""
    current = promoted_keywords(session.workspace)
    new = [kid for kid in dict.fromkeys(ids) if kid not in current]
    if new:
        session.workspace[KEYWORDS] = current + new
        session.engine.add_keywords(len(new))
    return len(new)


def remove_keywords(session: Session, ids: list[str]) -> int:
    """Take keywords out of promotion; returns how many were removed."""
    current = promoted_keywords(session.workspace)
    gone = set(ids) & set(current)
    if gone:
        session.workspace[KEYWORDS] = [kid for kid in current if kid not in gone]
        session.engine.add_keywords(-len(gone))
    return len(gone)


# ------------------------------------------- information display score


def info_done(workspace: dict[str, Any]) -> dict[str, int]:
    """Completed suggestion id -> the gain it actually added (hundredths)."""
    return dict(workspace.get(INFO_DONE, {}))


def complete_suggestion(session: Session, suggestion: InfoSuggestion) -> int:
    """Raise the score by the suggestion's gain, capped at the rule file's
    maximum; returns the gain applied (0 if already done)."""
    done = info_done(session.workspace)
    if suggestion.id in done:
        return 0
    engine = session.engine
    gain = max(0, min(suggestion.gain, engine.rules.info_score_max - engine.info_score))
    done[suggestion.id] = gain
    session.workspace[INFO_DONE] = done
    engine.set_info_score(engine.info_score + gain)
    return gain


def undo_suggestion(session: Session, suggestion_id: str) -> int:
    """Take back what a completed suggestion added; returns that amount."""
    done = info_done(session.workspace)
    if suggestion_id not in done:
        return 0
    gain = done.pop(suggestion_id)
    session.workspace[INFO_DONE] = done
    engine = session.engine
    engine.set_info_score(max(0, engine.info_score - gain))
    return gain


# ------------------------------------------------------------- reconcile


def reconcile(session: Session, catalog: Catalog) -> None:
    """Make the lists agree with the engine's counts, which are the truth
    (a profile may start with products in promotion, and demo tools set
    counts directly): mark the first free catalog items as promoted, or
    drop the newest. Touches no engine count and records no event."""
    engine = session.engine
    workspace = session.workspace

    known = {p.id for p in catalog.products}
    ids = [pid for pid in promoted_products(workspace) if pid in known]
    free = [p.id for p in catalog.products if p.id not in ids]
    want = min(engine.products, len(catalog.products))
    ids = ids[:want] + free[: max(0, want - len(ids))]
    if ids != promoted_products(workspace):
        workspace[PRODUCTS] = ids

    words = all_keywords(catalog)
    kws = [kid for kid in promoted_keywords(workspace) if kid in words]
    want = min(engine.keywords, len(words))
    if len(kws) < want:
        extra = [keyword_id(k) for k in keyword_suggestions(catalog, workspace)]
        extra += [kid for kid in words if kid not in kws and kid not in extra]
        kws += extra[: want - len(kws)]
    kws = kws[:want]
    if kws != promoted_keywords(workspace):
        workspace[KEYWORDS] = kws


def product(catalog: Catalog, product_id: str) -> Product | None:
    return next((p for p in catalog.products if p.id == product_id), None)


# ------------------------------------------------------------- self-test


def self_test_state(workspace: dict[str, Any]) -> dict[str, Any]:
    """The attempt in progress: `seed`, `answers` (question id -> keys),
    `index`, `revealed`. Empty when none. A test may preset `seed`."""
    state = workspace.get(SELF_TEST)
    return dict(state) if isinstance(state, dict) else {}


def save_self_test(workspace: dict[str, Any], state: dict[str, Any] | None) -> None:
    if state:
        workspace[SELF_TEST] = state
    else:
        workspace.pop(SELF_TEST, None)

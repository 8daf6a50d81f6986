"""The workspace keeps the engine's task counts in step with the lists of
promoted products, keywords and completed suggestions (R7-R9, R11)."""

from __future__ import annotations

from app.core import workspace as ws
from tests.tui.conftest import make_session, passed_session


def catalog():
    return ws.load_catalog()


def test_promote_and_unpromote_move_the_engine_count():
    session = passed_session()
    products = catalog().products
    for product in products[:30]:
        assert ws.set_promoted(session, product.id, True)
    assert not ws.set_promoted(session, products[0].id, True)  # already on
    assert session.engine.products == 30
    assert session.engine.task_status()["products"][2]
    ws.set_promoted(session, products[0].id, False)
    assert session.engine.products == 29
    assert not session.engine.task_status()["products"][2]
    assert session.engine.stage == "tasks"
    assert len(ws.promoted_products(session.workspace)) == 29


def test_keyword_suggestions_come_from_promoted_products():
    session = make_session()
    assert ws.keyword_suggestions(catalog(), session.workspace) == []
    first = catalog().products[0]
    ws.set_promoted(session, first.id, True)
    suggested = ws.keyword_suggestions(catalog(), session.workspace)
    assert suggested == list(first.keywords)
    ids = [ws.keyword_id(k) for k in suggested]
    assert ws.add_keywords(session, ids + ids) == len(ids)
    assert session.engine.keywords == len(ids)
    assert ws.keyword_suggestions(catalog(), session.workspace) == []
    assert ws.remove_keywords(session, [*ids[:2], "not a keyword"]) == 2
    assert session.engine.keywords == len(ids) - 2


def test_suggestions_raise_the_score_up_to_the_cap_and_undo_exactly():
    session = make_session()
    engine = session.engine
    suggestions = catalog().info_suggestions
    for suggestion in suggestions:
        ws.complete_suggestion(session, suggestion)
    total = sum(s.gain for s in suggestions)
    assert engine.info_score == min(total, engine.rules.info_score_max)
    assert ws.complete_suggestion(session, suggestions[0]) == 0
    for suggestion in suggestions:
        ws.undo_suggestion(session, suggestion.id)
    assert engine.info_score == 0
    engine.set_info_score(engine.rules.info_score_max - 10)
    assert ws.complete_suggestion(session, suggestions[0]) == 10
    assert ws.undo_suggestion(session, suggestions[0].id) == 10
    assert engine.info_score == engine.rules.info_score_max - 10


def test_reconcile_follows_the_engine_counts():
    session = make_session()
    session.engine.add_products(5)
    session.engine.add_keywords(7)
    ws.reconcile(session, catalog())
    assert len(ws.promoted_products(session.workspace)) == 5
    assert len(ws.promoted_keywords(session.workspace)) == 7
    session.engine.add_products(-2)
    ws.reconcile(session, catalog())
    assert len(ws.promoted_products(session.workspace)) == 3
    events = len(session.engine.events)
    ws.reconcile(session, catalog())
    assert len(session.engine.events) == events  # records nothing


def test_workspace_survives_a_save_and_replay():
    from app.core.session import Session

    session = passed_session()
    ws.set_promoted(session, catalog().products[0].id, True)
    ws.complete_suggestion(session, catalog().info_suggestions[0])
    ws.save_self_test(session.workspace, {"seed": 3, "answers": {"q01": ["a"]}})
    again = Session.from_payload("trainee", session.payload())
    assert again.engine.products == 1
    assert again.engine.info_score == catalog().info_suggestions[0].gain
    assert ws.self_test_state(again.workspace)["seed"] == 3
    ws.save_self_test(again.workspace, None)
    assert ws.self_test_state(again.workspace) == {}

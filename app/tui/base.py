"""What every screen of the app shares: access to the session, translated
text, and refreshing when the state or the language changes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from app.core import i18n

if TYPE_CHECKING:
    from app.core.engine import Engine
    from app.core.session import Session
    from app.tui.app import GrowthPlanApp


def translate_bindings(node: DOMNode, lang: str) -> None:
    """Relabel a node's key bindings: `key.<binding id>` in the catalogue
    gives the Footer's text (and tooltip) in the current language."""
    bindings = node._bindings.key_to_bindings
    for key, entries in bindings.items():
        bindings[key] = [
            replace(
                binding,
                description=i18n.t(f"key.{binding.id}", lang),
                tooltip=i18n.t(f"key.{binding.id}.tip", lang)
                if i18n.has(f"key.{binding.id}.tip")
                else binding.tooltip,
            )
            if binding.id and i18n.has(f"key.{binding.id}")
            else binding
            for binding in entries
        ]


class PlanMixin:
    """Shortcuts for screens and widgets of this app."""

    @property
    def plan_app(self) -> GrowthPlanApp:
        return self.app  # type: ignore[attr-defined, return-value]

    @property
    def session(self) -> Session:
        return self.plan_app.session

    @property
    def engine(self) -> Engine:
        return self.plan_app.session.engine

    @property
    def lang(self) -> str:
        return self.plan_app.lang

    def t(self, key: str, /, **values: Any) -> str:
        return i18n.t(key, self.plan_app.lang, **values)


class _Refreshing:
    """On a state change (`app.revision`) call `refresh_view`; on a language
    change relabel the bindings and recompose, since every label is built
    from `t()`. Screens keep their own state in attributes, not widgets."""

    def _watch_plan(self) -> None:
        app = self.app  # type: ignore[attr-defined]
        translate_bindings(self, app.lang)  # type: ignore[arg-type]
        if getattr(self, "_plan_watched", False):
            return  # on_mount ran twice: watch once
        self._plan_watched = True
        self.watch(app, "revision", self._on_revision, init=False)  # type: ignore[attr-defined]
        self.watch(app, "lang", self._on_lang, init=False)  # type: ignore[attr-defined]
        translate_bindings(self, app.lang)  # type: ignore[arg-type]

    def _on_revision(self) -> None:
        self.refresh_view()

    async def _on_lang(self) -> None:
        translate_bindings(self, self.app.lang)  # type: ignore[arg-type, attr-defined]
        await self.recompose()  # type: ignore[attr-defined]
        self.refresh_view()
        self.refresh_bindings()  # type: ignore[attr-defined]

    def refresh_view(self) -> None:
        """Show the current state. Default: rebuild the screen. Screens
        with live widgets (inputs, lists) override it to update in place;
        it is also called right after a language switch recomposes."""
        self.refresh(recompose=True)  # type: ignore[attr-defined]


class PlanScreen(PlanMixin, _Refreshing, Screen):
    """A full screen of the app."""

    #: Help Center topic shown by F1 when nothing more specific has focus.
    HELP_KEY = ""

    def on_mount(self) -> None:
        self._watch_plan()


class PlanModal(PlanMixin, _Refreshing, ModalScreen):
    """A dialog over the current screen, with its own Footer: the one of the
    screen below would list keys that do not work while the dialog is open."""

    HELP_KEY = ""

    def on_mount(self) -> None:
        self._watch_plan()
        self._ensure_footer()

    async def _on_lang(self) -> None:
        await super()._on_lang()
        self._ensure_footer()

    def _ensure_footer(self) -> None:
        from textual.widgets import Footer

        # on_mount may run twice (a subclass calling super() as well as
        # Textual calling each class's handler), and a mount is not visible
        # to queries at once: remember the Footer instead of querying.
        footer = getattr(self, "_plan_footer", None)
        if footer is None or not footer.is_attached:
            self._plan_footer = Footer()
            self.mount(self._plan_footer)

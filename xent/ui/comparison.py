"""The Loss Comparison page's own controls: which losses to compare, and their formulas."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence

import streamlit as st

from xent import i18n, navigation
from xent.i18n import tr
from xent.losses import BINARY_LOSSES, find_binary_loss
from xent.pagestate import PageState
from xent.ui import address
from xent.ui.drawing import formula
from xent.ui.state import loss_slug


def _older_link(raw: Sequence[str]) -> list[str] | None:
    """The link's ``losses`` values with every loss named as links written before slugs did
    (by label or registry name) put as its slug; None when no value names a loss that way.
    A value that names no loss is kept, so that the notice names it."""
    found = [find_binary_loss(v) for v in raw]
    if not any(loss is not None and v != loss.slug for v, loss in zip(raw, found, strict=True)):
        return None
    return [v if loss is None else loss.slug for v, loss in zip(raw, found, strict=True)]


def loss_picker(state: PageState) -> list[str]:
    """Which losses to compare, in registry order. The toggles show the losses' slugs, and
    Streamlit writes what a toggle shows into the link (``?losses=focal``).

    Links written before slugs named the losses by their labels (``focal+(γ+%3D+2)``) or
    names, which are no option of the toggles, so Streamlit would drop them. Such a link
    opens the page again, before the toggles are drawn, with the same query and the losses
    named by slug: the toggles then take them from the address as from any link, and the
    address bar shows the slugs (setting the bound widget through session state instead
    would leave the address bar behind).
    """
    raw = st.query_params.get_all("losses")
    older = _older_link(raw)
    if older is not None:
        query = {key: st.query_params.get_all(key) for key in st.query_params}
        st.switch_page(
            navigation.lesson(state.slug).script, query_params={**query, "losses": older}
        )
    address.keep("losses", list(state.defaults["losses"]), _loss_values)
    shown_apart = i18n.language() != i18n.DEFAULT
    with st.container(key=BOUND) if shown_apart else contextlib.nullcontext():
        picked = st.pills(
            tr("Losses to compare"),
            list(BINARY_LOSSES),
            selection_mode="multi",
            default=state.defaults["losses"],
            format_func=loss_slug,
            key="losses",
            on_change=address.moved("losses"),
            bind="query-params",
        )
    address.resend("losses")
    if shown_apart:
        _shown_picker(picked or [])
    return [name for name in BINARY_LOSSES if name in (picked or [])]


BOUND = "losses_bound"
"""Key of the container that holds the address's toggles while another language shows its
own (:func:`_shown_picker`)."""

SHOWN = "_losses_shown"
"""Session key of the toggles that show the losses in the reader's language."""


def _shown_picker(picked: Sequence[str]) -> None:
    """The losses' toggles in the reader's language, in front of the address's.

    A bound control writes what its toggle shows into the link (``losses=focal``), so a toggle
    that showed a translated label would write it there, and a link made in one language would
    not open in the other. The toggles bound to the address therefore keep the slugs and are
    hidden; these, unbound, show each loss's label in the reader's language, start from the
    bound toggles' value on every run, and pass a click on to them (as a preset does: the
    bound control then writes the address, :mod:`xent.ui.address`).
    """
    st.html(
        f'<style>.st-key-{BOUND}, [data-testid="stLayoutWrapper"]:has(> .st-key-{BOUND}) '
        "{ display: none; }</style>"
    )
    st.session_state[SHOWN] = list(picked)
    st.pills(
        tr("Losses to compare"),
        list(BINARY_LOSSES),
        selection_mode="multi",
        format_func=functools.partial(_shown_label, language=i18n.language()),
        key="_losses_shown",  # SHOWN, written out: a private, unbound key (test_page_rules)
        on_change=_pass_on,
    )


def _shown_label(name: str, language: str) -> str:
    """A loss's label in ``language`` (the one the toggles were drawn in: Streamlit may
    format an option again on a thread where no page run set the language)."""
    with i18n.using(language):
        return BINARY_LOSSES[name].shown_label


def _pass_on() -> None:
    """A click on the shown toggles: the bound toggles take its value (and write the link)."""
    st.session_state["losses"] = list(st.session_state.get(SHOWN) or [])
    address.touched("losses")


def _loss_values(names: Sequence[str]) -> list[str]:
    """The address values of a list of losses: their slugs (an empty selection is one blank
    value, ``?losses=``, which :func:`xent.ui.address.keep` leaves to the browser)."""
    return [loss_slug(name) for name in names] or [""]


def loss_formulas(names: Sequence[str]) -> None:
    """Each chosen loss with its gradient, as LaTeX and as plain text."""
    for name in names:
        loss = BINARY_LOSSES[name]
        formula(
            rf"\begin{{aligned}}&\text{{{loss.shown_label}:}}\\ &{loss.latex}\\"
            rf"&{loss.grad_latex}\end{{aligned}}",
            loss.shown_text,
        )

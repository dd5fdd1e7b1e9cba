"""The Loss Comparison page's own controls: which losses to compare, and their formulas."""

from __future__ import annotations

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
    """Which losses to compare, in registry order. In English the toggles show the losses'
    slugs, and Streamlit writes what a toggle shows into the link (``?losses=focal``).

    Links written before slugs named the losses by their labels (``focal+(γ+%3D+2)``) or
    names, which are no option of the toggles, so Streamlit would drop them. Such a link
    opens the page again, before the toggles are drawn, with the same query and the losses
    named by slug: the toggles then take them from the address as from any link, and the
    address bar shows the slugs (setting the bound widget through session state instead
    would leave the address bar behind).

    In another language the toggles show each loss's label in that language. A bound
    control would write those labels into the link, so there the toggles are not bound:
    the page reads the link's slugs and writes them back itself (:func:`_from_link`,
    :func:`_into_address`), and a link is the same in every language.
    """
    raw = st.query_params.get_all("losses")
    older = _older_link(raw)
    if older is not None:
        query = {key: st.query_params.get_all(key) for key in st.query_params}
        st.switch_page(
            navigation.lesson(state.slug).script, query_params={**query, "losses": older}
        )
    language = i18n.language()
    bound = language == i18n.DEFAULT
    if bound:
        address.keep("losses", list(state.defaults["losses"]), _loss_values)
    else:
        _from_link(state, raw)
    picked = st.pills(
        tr("Losses to compare"),
        list(BINARY_LOSSES),
        selection_mode="multi",
        default=state.defaults["losses"] if bound else None,  # else set by _from_link
        format_func=loss_slug if bound else functools.partial(_shown_label, language=language),
        key="losses",
        on_change=address.moved("losses")
        if bound
        else functools.partial(address.touched, "losses"),
        bind="query-params" if bound else None,  # else written by _into_address
    )
    if not bound:
        _into_address(state, picked or [])
    address.resend("losses")
    return [name for name in BINARY_LOSSES if name in (picked or [])]


def _shown_label(name: str, language: str) -> str:
    """A loss's label in ``language`` (the one the toggles were drawn in: Streamlit may
    format an option again on a thread where no page run set the language)."""
    with i18n.using(language):
        return BINARY_LOSSES[name].shown_label


def _from_link(state: PageState, raw: Sequence[str]) -> None:
    """Before the unbound toggles are drawn: the session's losses, or, on a session's first
    look at them, the link's (as Streamlit seeds a bound control: the losses its values name,
    a blank value ``losses=`` for none, the defaults without the key)."""
    if "losses" in st.session_state:
        return
    if "losses" in st.query_params:
        named = {loss.name for loss in map(find_binary_loss, raw) if loss is not None}
        st.session_state["losses"] = [name for name in BINARY_LOSSES if name in named]
    else:
        st.session_state["losses"] = list(state.defaults["losses"])


def _into_address(state: PageState, picked: Sequence[str]) -> None:
    """After the unbound toggles are drawn: the address says what they show, as a bound
    control's would (nothing at the default, ``losses=`` for none). Written only when the
    server's copy of the address differs; the controls drawn later correct their own values
    in it (:func:`xent.ui.address.keep`), so the address the run sends last is right."""
    chosen = [name for name in BINARY_LOSSES if name in picked]  # the order a link keeps
    wanted = [] if set(chosen) == set(state.defaults["losses"]) else _loss_values(chosen)
    if sorted(st.query_params.get_all("losses")) == sorted(wanted):
        return
    if wanted:
        st.query_params["losses"] = wanted
    else:
        del st.query_params["losses"]


def _loss_values(names: Sequence[str]) -> list[str]:
    """The address values of a list of losses: their slugs (an empty selection is one blank
    value, ``?losses=``, which :func:`xent.ui.address.keep` leaves to the browser)."""
    return [loss_slug(name) for name in names] or [""]


def loss_formulas(names: Sequence[str]) -> None:
    """Each chosen loss with its gradient, as LaTeX and as plain text."""
    colon = ":" if i18n.language() == i18n.DEFAULT else "："  # a Japanese heading's colon
    for name in names:
        loss = BINARY_LOSSES[name]
        formula(
            rf"\begin{{aligned}}&\text{{{loss.shown_label}{colon}}}\\ &{loss.latex}\\"
            rf"&{loss.grad_latex}\end{{aligned}}",
            loss.shown_text,
        )

"""The Loss Comparison page's own controls: which losses to compare, and their formulas."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from xent import navigation
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
    picked = st.pills(
        "Losses to compare",
        list(BINARY_LOSSES),
        selection_mode="multi",
        default=state.defaults["losses"],
        format_func=loss_slug,
        key="losses",
        on_change=address.moved("losses"),
        bind="query-params",
    )
    address.resend("losses")
    return [name for name in BINARY_LOSSES if name in (picked or [])]


def _loss_values(names: Sequence[str]) -> list[str]:
    """The address values of a list of losses: their slugs (an empty selection is one blank
    value, ``?losses=``, which :func:`xent.ui.address.keep` leaves to the browser)."""
    return [loss_slug(name) for name in names] or [""]


def loss_formulas(names: Sequence[str]) -> None:
    """Each chosen loss with its gradient, as LaTeX and as plain text."""
    for name in names:
        loss = BINARY_LOSSES[name]
        formula(
            rf"\begin{{aligned}}&\text{{{loss.label}:}}\\ &{loss.latex}\\"
            rf"&{loss.grad_latex}\end{{aligned}}",
            loss.text,
        )

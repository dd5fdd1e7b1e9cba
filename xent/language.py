"""The session's language: ``lang=`` in the address, else the browser's, and the switch.

:func:`settle` runs first in every script run (``streamlit_app.py``): it reads ``lang=``
(``en`` or ``ja``), else the language the session chose before, else the browser's
(``st.context.locale``), and sets it for the run (``xent.i18n``). A ``lang=`` the app does
not have falls back to that default, with a notice saying so. :func:`switch` draws
"English | 日本語" on every page; a switch keeps every setting (it changes only ``lang``).
Links the app makes (Share, present mode, a question, a class room) carry ``lang=`` with
:func:`query`, so they open in the sender's language.
"""

from __future__ import annotations

import streamlit as st

from xent import i18n
from xent.i18n import LANGUAGES, tr
from xent.text import literal

KEY = "lang"
"""The address's query parameter."""

SESSION = "_lang"
"""Session key: the session's language, set by :func:`settle` at the start of every run."""

_SWITCH = "_lang_switch"
_CHOSEN = "_lang_chosen"  # the language came from a link or the switch, not the browser
_REFUSED = "_lang_refused"


def browser_language() -> str:
    """The language of the browser's locale (English when it has none)."""
    try:
        return i18n.from_locale(st.context.locale)
    except Exception:  # no browser context (bare mode)
        return i18n.DEFAULT


def _session_language() -> str | None:
    return st.session_state.get(SESSION)


def settle() -> str:
    """The language of this run, from the address, the session or the browser; set for the
    run. A ``lang=`` value the app does not have is kept aside for :func:`notice`."""
    i18n.read_from(_session_language)  # callbacks, fragments and dialogs read the session's
    asked = st.query_params.get_all(KEY)
    code = st.session_state.get(SESSION) or browser_language()
    if asked and asked[-1] in LANGUAGES:
        code = asked[-1]
        st.session_state[_CHOSEN] = True
    elif asked:
        st.session_state[_REFUSED] = asked[-1]
        del st.query_params[KEY]  # the address shows what the page shows
    st.session_state[SESSION] = code
    i18n.use(code)
    return code


def notice() -> None:
    """Say once that the link's ``lang=`` is not a language of the app, and what is shown."""
    refused = st.session_state.pop(_REFUSED, None)
    if refused is not None:
        st.info(
            tr(
                "This link asked for the language “{asked}”, which this app does not have "
                "(it has English and 日本語: lang=en or lang=ja), so it is shown in {shown}.",
                asked=literal(refused[:20]),
                shown=LANGUAGES[i18n.language()],
            ),
            icon=":material/translate:",
        )


def _on_switch() -> None:
    chosen = st.session_state.get(_SWITCH)
    if chosen in LANGUAGES:
        st.session_state[SESSION] = chosen
        st.session_state[_CHOSEN] = True
        st.query_params[KEY] = chosen
        i18n.use(chosen)


def _name(code) -> str:
    """A language's own name (AppTest also formats an empty selection, given as a list)."""
    return LANGUAGES.get(code, "") if isinstance(code, str) else ""


def switch() -> None:
    """English | 日本語: the session's language; switching keeps every setting.

    A page switch (the menu's links carry no query; ``st.navigation`` clears it) loses
    ``lang=``: a language the session chose goes back into the address here, in the page's
    own run, so a reload or a copied address opens in it."""
    code = i18n.language()
    if st.session_state.get(_CHOSEN) and st.query_params.get(KEY) != code:
        st.query_params[KEY] = code
    st.session_state[_SWITCH] = code
    st.segmented_control(
        tr("Language / 言語"),  # the options name each language in itself
        options=list(LANGUAGES),
        format_func=_name,
        key=_SWITCH,
        on_change=_on_switch,
        label_visibility="collapsed",
        width="content",
    )


def query() -> list[tuple[str, str]]:
    """``lang=`` for a link the app makes (Share, present mode, a question, a room), so it
    opens in the language shown now: when that is not English, or when the session chose it
    (a link or the switch). An English page the browser chose makes a link without it, which
    opens in each reader's own browser language."""
    code = i18n.language()
    if code != i18n.DEFAULT or st.session_state.get(_CHOSEN):
        return [(KEY, code)]
    return []

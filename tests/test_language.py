"""The session's language through the real app (AppTest): ``lang=`` in the address, the
browser's locale, the switch, and ``lang=`` in the links the app makes."""

from __future__ import annotations

import urllib.parse

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, TIMEOUT, open_page

from xent import i18n, language, navigation


def _share_script() -> None:
    import streamlit as st

    from xent import language, navigation
    from xent.ui import state

    language.settle()
    st.session_state.setdefault("q", 0.3)
    st.code(state.share_url(navigation.lesson("bernoulli").state))


def _share_link(asked: dict[str, str]) -> str:
    at = AppTest.from_function(_share_script, default_timeout=TIMEOUT)
    at.query_params.update(asked)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at.code[0].value


def _param(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _query(link: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(link).query, keep_blank_values=True)


def test_lang_in_the_address_sets_the_language_and_stays() -> None:
    at = open_page("bernoulli", {"lang": "ja", "q": "0.3"})
    assert at.session_state[language.SESSION] == "ja"
    assert _param(at, "lang") == ["ja"]
    assert at.session_state["q"] == pytest.approx(0.3)


def test_the_switch_changes_only_the_language() -> None:
    at = open_page("bernoulli", {"q": "0.3", "red": "3"})
    before = {k: at.session_state[k] for k in navigation.lesson("bernoulli").state.defaults}
    at.button_group(key="_lang_switch").set_value("ja").run()
    assert not at.exception
    assert at.session_state[language.SESSION] == "ja"
    assert _param(at, "lang") == ["ja"]
    after = {k: at.session_state[k] for k in before}
    assert after == before
    assert _param(at, "q") == ["0.3"]


def test_an_unknown_lang_falls_back_with_a_notice_and_leaves_the_address() -> None:
    at = open_page("bernoulli", {"lang": "xx<b>"})
    assert at.session_state[language.SESSION] == i18n.DEFAULT
    assert "lang" not in at.query_params
    assert any("xx" in str(i.value) for i in at.info)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [({"lang": "ja"}, ["ja"]), ({"lang": "en"}, ["en"]), ({}, None)],
    ids=["japanese", "english chosen", "english from the browser"],
)
def test_a_share_link_carries_the_language_shown(asked, expected) -> None:
    query = _query(_share_link(asked))
    assert query.get("q") == ["0.3"]
    assert query.get("lang") == expected


def test_a_page_switch_keeps_the_chosen_language() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "ja"
    at.run()
    at.switch_page(navigation.lesson("multiclass").script).run()
    assert not at.exception
    assert at.session_state[language.SESSION] == "ja"

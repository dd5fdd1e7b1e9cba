"""The app around the lessons in Japanese: Home, the menu, the header row, the Share dialog,
the link notices, present mode, the player and the math checks' messages.

Each test reads the same thing in English and in Japanese: the Japanese must be there, the
English must not, and what a link or a number says is the same in both languages.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from i18n_support import english_left
from streamlit.testing.v1 import AppTest
from test_app import TIMEOUT, open_page

import xent
from xent import i18n, language, navigation
from xent.ui import notice

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


def _menu_titles(at: AppTest) -> list[str]:
    """The titles of the pages the menu shows (this session's ``st.Page`` objects)."""
    return [page.title for page in at.session_state[navigation.BUILT_PAGES][1]]


# --- Home and the menu ----------------------------------------------------------------------


def test_home_in_japanese() -> None:
    at = open_page(None, {"lang": "ja"})
    assert not at.exception
    assert at.title[0].value == "なぜ交差エントロピーなのか？"
    headers = [h.value for h in at.header]
    assert headers == ["定義", "授業での使い方", "ページ一覧"]
    cards = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert [c.split(" ", 2)[2] for c in cards] == [
        "ベルヌーイ",
        "多クラス分類",
        "損失関数の比較",
        "授業",
    ]
    links = [link.proto.label for link in at.get("page_link")]
    assert "ベルヌーイを開く" in links
    assert "授業を開く" in links
    text = "\n".join(m.value for m in at.markdown)
    assert "**交差エントロピー**" in text
    assert english_left(text) == []


def test_home_in_english_is_unchanged() -> None:
    at = open_page(None, {"lang": "en"})
    assert at.title[0].value == "Why cross-entropy?"
    links = [link.proto.label for link in at.get("page_link")]
    assert "Open Bernoulli" in links
    assert "Open Class" in links


def test_the_menu_shows_the_page_titles_in_the_language() -> None:
    at = open_page("bernoulli", {"lang": "ja"})
    assert _menu_titles(at) == ["ホーム", "ベルヌーイ", "多クラス分類", "損失関数の比較", "授業"]
    assert at.get("navigation") is not None
    english = open_page("bernoulli", {"lang": "en"})
    assert _menu_titles(english) == ["Home", "Bernoulli", "Multiclass", "Loss Comparison", "Class"]


def test_the_switch_retitles_the_menu_and_keeps_the_page() -> None:
    at = open_page("bernoulli", {"q": "0.3"})
    assert _menu_titles(at)[1] == "Bernoulli"
    at.button_group(key=language._SWITCH).set_value("ja").run()
    assert not at.exception
    assert _menu_titles(at)[1] == "ベルヌーイ"
    assert at.session_state["q"] == pytest.approx(0.3)
    assert at.button(key="_reset").label == "リセット"
    at.button_group(key=language._SWITCH).set_value("en").run()
    assert _menu_titles(at)[1] == "Bernoulli"
    assert at.button(key="_reset").label == "Reset to defaults"


# --- the header row ---------------------------------------------------------------------------


def test_the_header_row_in_japanese() -> None:
    at = open_page("bernoulli", {"lang": "ja"})
    assert at.button(key="_reset").label == "リセット"
    assert at.button(key="_share").label == "この表示を共有"
    assert "設定" in at.button(key="_share").help
    preset = at.selectbox(key="_preset")
    assert preset.placeholder == "プリセットを選ぶ…"
    assert preset.label == "プリセット"
    popovers = [p.proto.popover.label for p in at.get("popover")]
    assert "このページについて" in popovers
    assert at.button_group(key=language._SWITCH).proto.label == "表示言語"


def test_a_preset_keeps_its_stored_name_in_japanese() -> None:
    """The preset's value is its English name in both languages; the option shown goes
    through ``tr`` (the lesson's catalogue)."""
    state = navigation.lesson("bernoulli").state
    name = next(  # a preset that moves something
        n for n, v in state.presets.items() if any(v[k] != state.defaults[k] for k in v)
    )
    at = open_page("bernoulli", {"lang": "ja"})
    with i18n.using("ja"):
        shown = i18n.tr(name)
    assert shown in at.selectbox(key="_preset").options
    at.selectbox(key="_preset").set_value(shown).run()  # AppTest picks by the text shown
    assert not at.exception
    applied = {key: at.session_state[key] for key in state.presets[name]}
    assert applied == pytest.approx(dict(state.presets[name]))


# --- the Share dialog -------------------------------------------------------------------------


def _dialog_script() -> None:
    """The Share dialog drawn inline (AppTest draws no dialog), its title written above it."""
    import streamlit as st

    from xent import language, navigation
    from xent.ui import page

    language.settle()
    state = navigation.lesson("bernoulli").state
    for key, value in {"q": 0.3, "red": 3, "lr": 3.0}.items():
        st.session_state.setdefault(key, value)
    st.session_state.setdefault("_present_show", ["q", "t"])
    titles: list[str] = []
    dialog = st.dialog
    st.dialog = lambda title, **_: titles.append(title) or (lambda body: body)
    try:
        page.share_dialog(state)
    finally:
        st.dialog = dialog
    st.caption("TITLE " + titles[0])


def _dialog(lang: str) -> AppTest:
    at = AppTest.from_function(_dialog_script, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _without_lang(link: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urllib.parse.urlsplit(link)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)]
    return parts.path, sorted((k, v) for k, v in query if k != "lang")


def test_the_share_dialog_in_japanese() -> None:
    at = _dialog("ja")
    assert at.caption[-1].value == "TITLE この表示を共有"
    text = "\n".join(m.value for m in at.markdown)
    assert "今見ているすべての設定" in text
    assert "**この表示で発表**" in text
    shown = at.multiselect(key="_present_show")
    assert shown.label == "プロジェクターに表示するコントロール"
    assert shown.placeholder == "なし（図だけを表示）"
    assert "present=1" in shown.help
    assert shown.value == ["q", "t"]  # URL keys, whatever the language
    english = _dialog("en")
    assert english.multiselect(key="_present_show").value == ["q", "t"]
    japanese_q = next(o for o in shown.options if o.endswith("（q）"))
    english_q = next(o for o in english.multiselect(key="_present_show").options if "(q)" in o)
    assert english_left(japanese_q) == []
    assert english_q.endswith(" (q)")
    assert english.caption[-1].value == "TITLE Share this view"
    assert "Present this view" in "\n".join(m.value for m in english.markdown)


def test_the_share_links_are_the_same_in_both_languages_apart_from_lang() -> None:
    links = {lang: [c.value for c in _dialog(lang).code] for lang in ("en", "ja")}
    assert len(links["en"]) == len(links["ja"]) >= 2  # the page's link, the presenter link
    for en, ja in zip(links["en"], links["ja"], strict=True):
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(ja).query)["lang"] == ["ja"]
        assert _without_lang(en) == _without_lang(ja)
        assert en != ja
    path, query = _without_lang(links["ja"][-1])
    assert path == "/bernoulli"
    assert ("show", "q,t") in query
    assert ("present", "1") in query
    assert ("q", "0.3") in query


# --- the notices about a link's values ------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [{"q": "abc"}, {"q": "0.3", "red": "inf", "lr": "7"}, {"losses": "nonsense"}],
)
def test_the_link_notice_in_japanese_names_the_same_values(link: dict[str, str]) -> None:
    page = "loss-comparison" if "losses" in link else "bernoulli"
    notices = {}
    for lang in ("en", "ja"):
        at = open_page(page, {"lang": lang, **link})
        notices[lang] = [i.value for i in at.info if "link_off" in i.proto.icon]
    assert len(notices["en"]) == len(notices["ja"]) == 1
    en, ja = notices["en"][0], notices["ja"][0]
    assert "This link had values" in en
    assert ja.startswith("このリンクには")
    assert "表示" in ja
    assert "shown" not in ja
    assert _numbers(en) == _numbers(ja)
    for key in link:
        assert (f"{key}=" in en) == (f"{key}=" in ja)


def test_the_none_of_an_empty_choice_is_japanese() -> None:
    assert notice._shown("losses", []) == "none"
    with i18n.using("ja"):
        assert notice._shown("losses", []) == "なし"


# --- present mode and the player ------------------------------------------------------------


def test_present_mode_in_japanese() -> None:
    at = open_page("bernoulli", {"lang": "ja", "present": "1", "slide": "2"})
    assert at.button(key="_present_previous").label == "前へ"
    assert at.button(key="_present_next").label == "次へ"
    assert "左矢印キー" in at.button(key="_present_previous").help
    sections = [m.value for m in at.markdown if m.value.startswith("セクション")]
    english = open_page("bernoulli", {"lang": "en", "present": "1", "slide": "2"})
    english_sections = [m.value for m in english.markdown if m.value.startswith("Section")]
    assert len(sections) == len(english_sections) == 1
    assert _numbers(sections[0]) == _numbers(english_sections[0])


def test_the_player_in_japanese() -> None:
    at = open_page("bernoulli", {"lang": "ja", "steps": "20"})
    assert at.toggle(key="_play_t").label == "再生"
    assert at.button(key="_step_t").label == "ステップ送り"
    assert "勾配" in at.button(key="_step_t").help
    assert "マーカー" in at.slider(key="t").help
    at.toggle(key="_play_t").set_value(True).run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "再生中" in c.value)
    assert _numbers(caption) == ["0", "0", "20"]


# --- messages of the math checks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "japanese"),
    [
        (lambda: xent.binary_cross_entropy(1.5, 0.5), "p は [0, 1] の確率"),
        (lambda: xent.entropy([-0.1, 1.1]), "[-0.1, 1.1] の範囲の値"),
        (lambda: xent.cross_entropy([0.5, 0.4], [0.5, 0.5]), "和が 1"),
        (lambda: xent.cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5]), "ブロードキャスト"),
    ],
)
def test_a_math_check_speaks_the_language_of_the_run(call, japanese: str) -> None:
    with pytest.raises(ValueError, match="must") as english:
        call()
    with i18n.using("ja"), pytest.raises(ValueError, match="なければ") as translated:
        call()
    assert japanese in str(translated.value)
    assert english_left(str(translated.value)) == []
    assert _numbers(str(english.value)) == _numbers(str(translated.value))
    assert str(english.value) != str(translated.value)

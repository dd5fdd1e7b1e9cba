"""The Loss Comparison page and the loss registry in Japanese.

The lesson's readings are built in both languages from the same state and must quote the same
numbers; the charts name each loss by its label in the reader's language and keep its line
style; the losses' toggles show Japanese labels while the link keeps the slugs, so a link made
in one language opens the same state in the other; the caches hold no language (the same
cached race reads in both).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from test_app import READING, open_page

from xent import i18n
from xent.lessons import comparison
from xent.locales.ja import MESSAGES as JA
from xent.losses import BINARY_LOSSES, FOCAL_GAMMA, LABEL_SMOOTHING, MULTICLASS_LOSSES

NAMES = tuple(BINARY_LOSSES)
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?")

STATES = [
    # (p, q0, lr, steps, tol, names): the default, every loss, a hard label, cycling, p = ½
    (0.9, 0.001, 1.0, 700, 0.05, ("cross_entropy", "squared_error")),
    (0.9, 0.001, 1.0, 700, 0.05, NAMES),
    (1.0, 0.8, 1.0, 300, 0.02, ("squared_error", "focal")),
    (0.5, 0.2, 30.0, 700, 0.05, NAMES),
    (0.8, 0.3, 10.0, 100, 0.1, ("absolute_error", "focal")),
    (0.0, 0.999, 3.0, 50, 0.2, ("cross_entropy", "absolute_error")),
]


def _numbers(text: str) -> Counter:
    return Counter(m.replace("−", "-") for m in NUMBER.findall(text))


def _readings(p, q0, lr, steps, tol, names) -> list[str]:
    start = comparison.at_start(p, q0, names)
    race = comparison.race(p, q0, lr, steps, tol, names)
    grid = comparison.grid(p, min(steps, 100), tol, names)
    return [
        comparison.loss_reading(start, names),
        comparison.push_reading(start),
        comparison.scoring_reading(p, names),
        comparison.race_reading(race),
        comparison.race_takeaway(race),
        comparison.grid_reading(grid),
        comparison.convexity_reading(p),
        comparison.grid_intro(),
        *(comparison.grid_subtitle(loss, p, tol) for loss in grid.losses),
    ]


def _in(code: str, state) -> list[str]:
    with i18n.using(code):
        return _readings(*state)


@pytest.mark.parametrize("state", STATES, ids=lambda s: f"p={s[0]},q0={s[1]},lr={s[2]}")
def test_each_reading_quotes_the_same_numbers_in_both_languages(state) -> None:
    english, japanese = _in("en", state), _in("ja", state)
    for en, ja in zip(english, japanese, strict=True):
        assert _numbers(en) == _numbers(ja), (en, ja)


@pytest.mark.parametrize("state", STATES, ids=lambda s: f"p={s[0]},q0={s[1]},lr={s[2]}")
def test_the_lessons_own_sentences_are_japanese_and_name_the_losses_in_japanese(state) -> None:
    english, japanese = _in("en", state), _in("ja", state)
    assert all(en != ja for en, ja in zip(english, japanese, strict=True))
    names = state[-1]
    with i18n.using("ja"):
        shown = [BINARY_LOSSES[n].shown_label for n in names]
    start, push = japanese[0], japanese[1]
    assert start.startswith("初期値 q₀ = ")
    assert start.endswith("。")
    assert push.startswith("q₀ = ")
    assert "押す力" in push
    for label in shown:
        assert label in start
        assert label in push
    assert "交差エントロピーの曲率" in japanese[6]
    assert "しきい値" in japanese[7]
    assert "{settle_steps}" not in japanese[7]


def test_english_is_the_default_and_unchanged() -> None:
    state = STATES[0]
    assert _readings(*state) == _in("en", state)
    start = comparison.at_start(0.9, 0.001, ("cross_entropy", "squared_error"))
    assert comparison.loss_reading(start, ("cross_entropy", "squared_error")).startswith(
        "At the start q₀ = 0.001 with target p = 0.90: L = cross-entropy 6.22, squared error 0.81"
    )
    assert "steps past it" in comparison.grid_intro()


# --- the registry: labels shown in Japanese, the keys unchanged ------------------------------


def test_every_loss_of_both_registries_has_its_japanese_names() -> None:
    for loss in (*BINARY_LOSSES.values(), *MULTICLASS_LOSSES.values()):
        assert loss.label in JA, loss.name
        assert loss.in_words in JA, loss.name
        with i18n.using("ja"):
            assert loss.shown_label == JA[loss.label]
            assert loss.shown_in_words == JA[loss.in_words]
        assert loss.shown_label == loss.label  # English by default


def test_the_written_out_labels_follow_the_constants() -> None:
    """A message is a literal, so γ and ε are written out in the labels: they must agree."""
    assert BINARY_LOSSES["focal"].label == f"focal (γ = {FOCAL_GAMMA:g})"
    smoothing = MULTICLASS_LOSSES["label_smoothing"]
    assert smoothing.label == f"label smoothing (ε = {LABEL_SMOOTHING:g})"
    assert f"ε = {LABEL_SMOOTHING:g};" in smoothing.text


def test_a_japanese_label_keeps_its_losss_line_style() -> None:
    from xent.losses import line_styles

    with i18n.using("ja"):
        styles = line_styles()
        for loss in BINARY_LOSSES.values():
            assert styles[loss.shown_label] == loss.style == styles[loss.label]


def _scales(spec: dict) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            scale = node.get("scale")
            if isinstance(scale, dict) and "domain" in scale and "range" in scale:
                found.append(scale)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_the_race_chart_names_the_losses_in_japanese_with_the_same_colours() -> None:
    run = comparison.race(0.9, 0.001, 1.0, 700, 0.05, NAMES)
    specs = {}
    for code in ("en", "ja"):
        with i18n.using(code):
            specs[code] = comparison.race_chart(run).to_dict()
    en, ja = _scales(specs["en"]), _scales(specs["ja"])
    assert en
    assert len(en) == len(ja)
    with i18n.using("ja"):
        japanese = [BINARY_LOSSES[n].shown_label for n in NAMES]
    losses = 0
    for a, b in zip(en, ja, strict=True):
        assert a["range"] == b["range"]
        if a["domain"] == [BINARY_LOSSES[n].label for n in NAMES]:
            assert b["domain"] == japanese
            losses += 1
    assert losses >= 2  # colour and dash


def test_the_race_frames_keep_their_data_in_both_languages() -> None:
    run = comparison.race(0.9, 0.001, 1.0, 700, 0.05, ("cross_entropy", "squared_error"))
    with i18n.using("ja"):
        shown = comparison.series_shown(run.q)
    assert set(shown["series"]) == {"交差エントロピー", "二乗誤差"}
    assert shown.drop(columns="series").equals(run.q.drop(columns="series"))
    assert set(run.q["series"]) == {"cross-entropy", "squared error"}  # the cached frame


# --- the page: Japanese shown, the link the same in both languages ---------------------------


JAPANESE_READING = "**読み取り：**"


def _readings_of(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith((READING, JAPANESE_READING))]


def test_the_page_in_japanese_shows_the_lessons_japanese() -> None:
    at = open_page("loss-comparison", {"lang": "ja"})
    assert at.title[0].value == JA["Loss comparison: who learns from a confident mistake?"]
    assert [h.value for h in at.header][:1] == [JA["The race: same start, same learning rate"]]
    toggles = at.button_group(key="losses")
    assert toggles.label == "比較する損失"
    assert [o.content for o in toggles.proto.options] == [
        "交差エントロピー",
        "二乗誤差",
        "絶対誤差",
        "フォーカル損失 (γ = 2)",
    ]
    assert toggles.value == ["cross_entropy", "squared_error"]
    readings = _readings_of(at)
    assert any("初期値 q₀ = 0.001、目標 p = 0.90" in r for r in readings)
    assert any("499 倍強く押します" in r for r in readings)


def test_the_page_in_english_keeps_the_slugs_on_its_toggles() -> None:
    toggles = open_page("loss-comparison", {"lang": "en"}).button_group(key="losses")
    assert [o.content for o in toggles.proto.options] == [
        loss.slug for loss in BINARY_LOSSES.values()
    ]
    assert toggles.label == "Losses to compare"


def test_the_page_quotes_the_same_numbers_in_both_languages() -> None:
    query = {"p": "0.8", "q0": "0.05", "losses": ["cross-entropy", "focal"]}
    english = _readings_of(open_page("loss-comparison", {"lang": "en", **query}))
    japanese = _readings_of(open_page("loss-comparison", {"lang": "ja", **query}))
    assert len(english) == len(japanese) > 3
    for en, ja in zip(english, japanese, strict=True):
        assert _numbers(en) == _numbers(ja), (en, ja)
        assert en != ja


@pytest.mark.parametrize("code", ["en", "ja"])
def test_a_link_opens_the_same_losses_in_both_languages(code: str) -> None:
    at = open_page("loss-comparison", {"lang": code, "losses": ["focal", "squared-error"]})
    assert sorted(at.button_group(key="losses").value) == ["focal", "squared_error"]
    assert sorted(at.query_params["losses"]) == ["focal", "squared-error"]
    assert not at.info


@pytest.mark.parametrize("code", ["en", "ja"])
def test_a_link_naming_no_loss_is_read_alike_in_both_languages(code: str) -> None:
    at = open_page("loss-comparison", {"lang": code, "losses": ["focal", "hinge"]})
    assert at.button_group(key="losses").value == ["focal"]
    assert len(at.info) == 1  # the notice names the value it could not use
    blank = open_page("loss-comparison", {"lang": code, "losses": ""})
    assert blank.button_group(key="losses").value == []


def test_an_older_link_by_label_opens_in_japanese_too() -> None:
    at = open_page("loss-comparison", {"lang": "ja", "losses": ["focal (γ = 2)", "squared error"]})
    assert sorted(at.button_group(key="losses").value) == ["focal", "squared_error"]
    assert at.query_params["losses"] == ["focal", "squared-error"]


def _click(at, names: list[str], code: str):
    with i18n.using(code):  # AppTest formats the chosen options on this thread
        return at.button_group(key="losses").set_value(names).run()


def test_a_click_writes_the_same_link_in_both_languages() -> None:
    links = {}
    for code in ("en", "ja"):
        at = open_page("loss-comparison", {"lang": code})
        _click(at, ["cross_entropy", "focal"], code)
        assert not at.exception
        assert at.button_group(key="losses").value == ["cross_entropy", "focal"]
        links[code] = list(at.query_params["losses"])
    assert links["en"] == links["ja"] == ["cross-entropy", "focal"]


def test_in_japanese_the_default_leaves_the_link_and_none_writes_a_blank() -> None:
    at = open_page("loss-comparison", {"lang": "ja", "losses": "focal"})
    _click(at, ["squared_error", "cross_entropy"], "ja")  # the default, in another order
    assert "losses" not in at.query_params
    _click(at, [], "ja")
    assert at.query_params.get("losses") in ("", [""])  # ?losses=
    assert at.info[0].value == JA["Pick at least one loss to compare."]


def test_switching_the_language_keeps_the_losses_and_the_link() -> None:
    at = open_page("loss-comparison", {"lang": "en", "losses": ["focal", "absolute-error"]})
    at.query_params["lang"] = "ja"
    at.run()
    assert sorted(at.button_group(key="losses").value) == ["absolute_error", "focal"]
    assert sorted(at.query_params["losses"]) == ["absolute-error", "focal"]
    _click(at, ["cross_entropy", "absolute_error"], "ja")
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert sorted(at.button_group(key="losses").value) == ["absolute_error", "cross_entropy"]
    assert sorted(at.query_params["losses"]) == ["absolute-error", "cross-entropy"]


def test_a_preset_moves_the_japanese_toggles_and_the_link() -> None:
    at = open_page("loss-comparison", {"lang": "ja"})
    with i18n.using("ja"):  # AppTest formats the option on this thread
        at.selectbox(key="_preset").set_value("Every loss").run()
    assert at.button_group(key="losses").value == list(NAMES)
    assert at.query_params["losses"] == [loss.slug for loss in BINARY_LOSSES.values()]


def test_the_same_cached_race_reads_in_each_language() -> None:
    """The caches hold data, not words: an English run then a Japanese run of the same state
    (the same cached race and grid) each read in their own language."""
    query = {"p": "0.7", "q0": "0.02"}
    english = _readings_of(open_page("loss-comparison", {"lang": "en", **query}))
    japanese = _readings_of(open_page("loss-comparison", {"lang": "ja", **query}))
    assert any("squared error" in r for r in english)
    assert not any("squared error" in r for r in japanese)
    assert any("二乗誤差" in r for r in japanese)

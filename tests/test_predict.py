"""Predict, then reveal: a link with ask= hides the lesson until a guess, then shows the truth.

The true answers are recomputed here with plain numpy/scipy (no xent function), over random
settings; the app is driven through AppTest (one fresh session per link, as a student opens
it); hostile ``ask``/``guess`` values must never raise and must be named in a notice.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import expit, logit
from scipy.stats import entropy
from streamlit.testing.v1 import AppTest

from xent import navigation, questions
from xent.ui import ask as predict

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
PAGES = {entry.url_path: entry.script for entry in navigation.LESSONS}
"""Every lesson page (URL path -> script), from the page registry."""
READING = "**Reading:**"
RNG = np.random.default_rng(20261128)


def open_link(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGES[page])
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def readings(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(READING)]


SHOWN = re.compile(
    r"Your guess: \*\*(?P<guess>.+?)\*\* · The truth: \*\*(?P<truth>.+?)\*\*\. (?P<verdict>.+)"
)
"""The reveal's line: guess, truth and the verdict (which says how far off)."""
OFF = re.compile(r"off by (?P<wrong>[\d.]+)|^Right: (?P<right>[\d.]+) ")


def shown(at: AppTest) -> dict[str, str]:
    """The revealed guess, truth, verdict and (for a number) how far off, as the page says
    them (markdown escapes removed); empty when nothing is revealed."""
    for markdown in at.markdown:
        if found := SHOWN.search(markdown.value):
            said = {key: re.sub(r"\\(.)", r"\1", value) for key, value in found.groupdict().items()}
            if off := OFF.search(said["verdict"]):
                said["off"] = off["wrong"] or off["right"]
            return said
    return {}


def lock_in(at: AppTest) -> None:
    at.button(key=predict.LOCK).click().run()


def hidden(at: AppTest) -> bool:
    return not readings(at) and not at.get("vega_lite_chart")


# --- reading the link (pure) -------------------------------------------------------------


SETTINGS = {"p": 0.2, "q": 0.6}


def test_no_ask_asks_nothing():
    assert predict.read_link("bernoulli", {}, SETTINGS) == predict.Ask(None, None)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"ask": ["nope"]}, "not a question of this page"),
        ({"ask": ["multiclass.top_after"]}, "not a question of this page"),
        ({"ask": ["bernoulli.min_q", "bernoulli.step"]}, "must appear once"),
        ({"guess": ["0.3"]}, "no question"),
    ],
)
def test_a_bad_ask_names_what_is_allowed(query, words):
    ask = predict.read_link("bernoulli", query, SETTINGS)
    assert ask.question is None
    assert ask.guess is None
    assert words in ask.problem
    if "ask" in query:
        assert all(t.key in ask.problem for t in questions.BANK["bernoulli"])


@pytest.mark.parametrize("guess", ["abc", "1.5", "-0.1", "nan", "inf", "", "0.3, 0.4"])
def test_a_bad_guess_is_named_and_asked_again(guess):
    ask = predict.read_link("bernoulli", {"ask": ["bernoulli.min_q"], "guess": [guess]}, SETTINGS)
    assert ask.question is not None
    assert ask.guess is None
    assert "guess" in ask.problem
    assert "between 0 and 1" in ask.problem or "a number" in ask.problem


def test_a_choice_guess_must_be_an_option():
    query = {"ask": ["bernoulli.step"], "guess": ["q explodes"]}
    ask = predict.read_link("bernoulli", query, SETTINGS)
    assert ask.guess is None
    assert "q goes up" in ask.problem


def test_every_question_of_every_page_can_be_asked_at_the_defaults():
    for slug, state in navigation.page_states().items():
        for template in predict.page_questions(slug):
            ask = predict.read_link(slug, {"ask": [template.key]}, state.defaults)
            assert ask.problem is None
            assert ask.question.key == template.key


# --- guess and truth as shown -------------------------------------------------------------


def _places(shown: str) -> int:
    return len(shown.split(".")[1]) if "." in shown else 0


@pytest.mark.parametrize("seed", range(60))
def test_shown_numbers_add_up_and_the_verdict_follows_the_exact_truth(seed):
    rng = np.random.default_rng(seed)
    p = float(rng.uniform(0, 1))
    question = questions.pose("bernoulli.min_loss", {"p": p})
    truth = entropy([p, 1 - p])  # independent: scipy
    # guesses near the edge of the tolerance too, where rounding the truth first misleads
    guess = float(rng.choice([rng.integers(0, 71) / 100, round(truth + 0.02, 2)]))
    guess = min(max(guess, 0.0), 0.7)
    shown = predict.compare(question, guess)
    assert _places(shown.truth) >= 4
    assert Decimal(shown.truth) == round(Decimal(truth), _places(shown.truth))
    assert Decimal(shown.guess) == Decimal(repr(guess))
    off = abs(Decimal(shown.guess) - Decimal(shown.truth))
    assert Decimal(shown.off) == off  # guess, truth and distance add up as shown
    exact = abs(Decimal(repr(guess)) - Decimal(repr(float(truth)))) <= Decimal("0.02")
    assert shown.right == exact  # graded against the exact truth
    assert (off <= Decimal("0.02")) == shown.right  # and the shown distance agrees
    assert shown.verdict.startswith("Right:" if shown.right else "Not right")
    assert "nats" in shown.verdict
    assert question.is_right(guess) == shown.right  # class mode's rule is the same


def test_one_rule_for_the_issue_examples():
    # p = 0.2: H = 0.5004, a guess of 0.48 is 0.0204 off: wrong (it showed "Right" before)
    question = questions.pose("bernoulli.min_loss", {"p": 0.2})
    shown = predict.compare(question, 0.48)
    assert (shown.truth, shown.off, shown.right) == ("0.5004", "0.0204", False)
    assert not question.is_right(0.48)
    assert question.rule == "A guess within ±0.02 nats of the exact answer counts as right."
    # q = 1 at p = 0.98 is 0.02 from p but costs an infinite loss: wrong, and said why
    min_q = questions.pose("bernoulli.min_q", {"p": 0.98})
    assert not min_q.is_right(1.0)
    assert "infinite" in predict.compare(min_q, 1.0).verdict
    assert min_q.is_right(0.97)
    assert questions.pose("bernoulli.min_q", {"p": 1.0}).is_right(1.0)
    # q = 0 or 1 is z = ∓∞: a step does not move it
    for q in (0.0, 1.0):
        step = questions.pose("bernoulli.step", {"p": 0.5, "q": q})
        assert step.truth == "q stays"
        assert "∞" in step.explanation


def test_a_choice_comparison_says_right_or_names_the_answer():
    question = questions.pose("bernoulli.step", {"p": 0.2, "q": 0.6})
    assert predict.compare(question, "q goes down").right
    wrong = predict.compare(question, "q goes up")
    assert not wrong.right
    assert "q goes down" in wrong.verdict
    assert wrong.off is None


# --- the app ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_ask_hides_the_lesson_until_a_guess_then_reveals_it(page):
    key = questions.BANK[page][0].key
    at = open_link(page, {"ask": key})
    assert hidden(at), "the readings or charts show before the guess"
    assert any("Predict, then reveal" in m.value for m in at.markdown)
    question = questions.TEMPLATES[key]
    answer = questions.pose(key, navigation.page_states()[page].defaults).answer
    widget = at.get_by_key(predict.INPUT)
    if answer.kind == questions.CHOICE:  # the option itself (the radio shows it escaped)
        widget.set_value(answer.options[0])
    lock_in(at)
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["guess"], "the guess did not go into the link"
    assert not hidden(at), f"{question.key}: still hidden after the guess"
    assert {"guess", "truth", "verdict"} <= set(shown(at))


@pytest.mark.parametrize("p", RNG.uniform(0, 1, 4).round(2))
def test_bernoulli_min_loss_truth_is_the_entropy(p):
    at = open_link("bernoulli", {"ask": "bernoulli.min_loss", "p": str(p), "guess": "0.5"})
    assert not hidden(at)
    said = shown(at)
    places = _places(said["truth"])
    assert Decimal(said["truth"]) == round(Decimal(entropy([p, 1 - p])), places)
    assert Decimal(said["off"]) == abs(Decimal("0.5") - Decimal(said["truth"]))
    assert at.slider(key="p").value == pytest.approx(p)  # the lesson shows the same box


@pytest.mark.parametrize("seed", range(4))
def test_bernoulli_step_truth_is_one_real_step(seed):
    rng = np.random.default_rng(seed)
    p, q = rng.uniform(0.01, 0.99, 2).round(2)
    moved = expit(logit(q) - 1.0 * (q - p)) - q
    truth = "q stays" if p == q else ("q goes up" if moved > 0 else "q goes down")
    at = open_link("bernoulli", {"ask": "bernoulli.step", "p": str(p), "q": str(q)})
    at.get_by_key(predict.INPUT).set_value("q stays")
    lock_in(at)
    assert shown(at)["truth"] == truth


def _ce_steps(p, q0, lr, tol, steps):
    z = logit(q0)
    for t in range(steps + 1):
        q = expit(z)
        if abs(q - p) <= tol:
            return t
        z -= lr * (q - p)
    return -1


@pytest.mark.parametrize("seed", range(3))
def test_race_steps_truth_is_a_plain_loop(seed):
    rng = np.random.default_rng(seed)
    q0 = float(rng.choice([0.01, 0.05, 0.1, 0.2]))
    lr = float(rng.choice([0.3, 1.0, 3.0]))
    query = {"ask": "loss-comparison.ce_steps", "q0": str(q0), "lr": str(lr), "guess": "10"}
    at = open_link("loss-comparison", query)
    # the page's own target, threshold and step budget
    page = navigation.lesson("loss-comparison").state.defaults
    truth = _ce_steps(page["p"], q0, lr, page["tol"], page["steps"])
    assert truth >= 0
    assert shown(at)["truth"] == str(truth)
    assert shown(at)["off"] == str(abs(truth - 10))


def test_multiclass_first_raise_truth_is_the_logit_that_rises_most():
    z = (1.5, -2.0, 0.5)
    at = open_link(
        "multiclass",
        {"ask": "multiclass.first_raise", "z1": "1.5", "z2": "-2", "z3": "0.5", "guess": "Apple"},
    )
    e = np.exp(np.array(z) - max(z))
    step = e / e.sum() - np.eye(3)[1]  # the default true class is the second one
    names = [n.strip() for n in navigation.lesson("multiclass").state.defaults["names"].split(",")]
    assert shown(at)["truth"] == names[int(np.argmin(step))]


def test_a_reload_keeps_the_guess_and_guess_again_hides_the_lesson():
    at = open_link("bernoulli", {"ask": "bernoulli.min_q", "guess": "0.3"})
    assert not hidden(at)
    assert shown(at)["guess"] == "0.3"  # as typed
    again = next(b for b in at.button if b.label == "Guess again")
    again.click().run()
    assert "guess" not in at.query_params
    assert hidden(at)


def test_a_bad_ask_shows_the_lesson_with_a_notice():
    at = open_link("bernoulli", {"ask": "multiclass.top_after"})
    assert not hidden(at)
    assert any("bernoulli.min_q" in w.value.replace("\\", "") for w in at.warning)


# --- hostile ask and guess values ---------------------------------------------------------

HOSTILE = [
    "",
    "nan",
    "inf",
    "-1",
    "1e999",
    "0.5",
    "q goes up",
    "<script>alert(1)</script>",
    "x" * 500,
    "bernoulli.min_q",
    "bernoulli.step",
    "multiclass.first_raise",
    "loss-comparison.winner",
    "loss-comparison.ce_steps",
    "\u202egnp.exe",
]
value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))
param = st.one_of(value, st.lists(value, min_size=2, max_size=3))


@pytest.mark.parametrize("page", PAGES)
def test_hostile_ask_and_guess_never_raise_and_are_named(page):
    @settings(
        max_examples=12,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ask=param, guess=st.one_of(st.none(), param))
    def check(ask, guess):
        query = {"ask": ask} if guess is None else {"ask": ask, "guess": guess}
        at = open_link(page, query)
        keys = {t.key for t in questions.BANK[page]}
        usable = isinstance(ask, str) and ask in keys
        if not usable:
            assert not hidden(at), f"{query!r} hid the lesson without a question"
            assert any("Questions on this page" in w.value for w in at.warning), query

    check()


@pytest.mark.parametrize("k", ["1e9", "-3", "0", "11", "2.5", "nan"])
def test_a_question_on_multiclass_survives_any_k(k):
    at = open_link("multiclass", {"ask": "multiclass.first_raise", "k": k})
    assert not at.exception


def _prompt(at: AppTest) -> str:
    head = "**Predict, then reveal:** "
    (prompt,) = [m.value[len(head) :] for m in at.markdown if m.value.startswith(head)]
    return prompt


def test_a_true_class_given_by_name_is_the_class_the_page_shows():
    """/multiclass?y=Apple&z1=-2: the question is about Apple (it asked about Gorilla)."""
    at = open_link("multiclass", {"y": "Apple", "z1": "-2", "ask": "multiclass.first_raise"})
    assert "the true class is Apple" in _prompt(at)
    # independent: z = (-2, 1, 0.1), t = Apple; the step z - η (Q - t) raises Apple most
    z = np.array([-2.0, 1.0, 0.1])
    Q = np.exp(z) / np.exp(z).sum()
    assert int(np.argmin(Q - np.array([1.0, 0.0, 0.0]))) == 0
    widget = at.get_by_key(predict.INPUT)
    widget.set_value("Apple")
    lock_in(at)
    assert shown(at)["truth"] == "Apple"
    assert "Right" in " ".join(m.value for m in at.markdown)


def test_class_names_beyond_three_are_the_page_names():
    """Issue 20 item 10: with K = 4 the options are the page's names (Kite, not "class 4"),
    and a link naming the true class y=Kite can be posed."""
    at = open_link("multiclass", {"k": "4", "y": "Kite", "ask": "multiclass.first_raise"})
    widget = at.get_by_key(predict.INPUT)
    assert list(widget.options) == ["Apple", "Gorilla", "Rappa", "Kite"]
    assert "the true class is Kite" in _prompt(at)


def test_a_true_class_the_page_does_not_take_is_not_asked_about():
    """y=2 is no class name: the page keeps its default true class (Gorilla), and so does
    the question."""
    at = open_link("multiclass", {"y": "2", "ask": "multiclass.first_raise"})
    assert "the true class is Gorilla" in _prompt(at)


def test_the_reveal_css_names_the_reveal_box():
    """``xent.style`` (below ``ui``) repeats the reveal's key; the room and the scroll margin it
    gives are lost if the two drift apart."""
    from xent import style

    assert predict.REVEAL == style.REVEAL_BOX
    assert f".st-key-{predict.REVEAL} {{" in style.CSS

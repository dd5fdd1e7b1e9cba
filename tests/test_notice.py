"""The "this link had values…" notice appears exactly when a value of the opening link was not
used as given, names what is shown instead, and never appears after a later rerun (a move,
a preset, Reset, a K change, a playback)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import open_page
from xent import navigation
from xent.ui.state import share_query

LINK_NOTICE = "This link had values"


def notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info if LINK_NOTICE in i.value or "outside" in i.value]


def unescape(text: str) -> str:
    """The notice as the student reads it (markdown escapes and invisible joiners removed)."""
    text = text.replace("\u2060", "")
    return text.replace("\\\\", "\0").replace("\\", "").replace("\0", "\\")


def reset(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Reset to defaults").click().run()


def second_red_move(at: AppTest) -> None:
    at.slider(key="red").set_value(3).run()
    at.slider(key="red").set_value(4).run()  # (sets p = 4/12, off the slider's 0.01 grid)


def preset(at: AppTest) -> None:
    at.selectbox(key="_preset").set_value("Fair coin: 5 red, 5 white").run()


def k_down_and_up(at: AppTest) -> None:
    at.slider(key="k").set_value(2).run()
    assert not notices(at)
    at.slider(key="k").set_value(3).run()


def playback(at: AppTest) -> None:
    at.toggle(key="_play_t").set_value(True).run()
    for _ in range(3):
        at.run()
        assert not notices(at)


CASES = [
    ("bernoulli", {}, second_red_move),
    ("bernoulli", {"q": "0.3", "lr": "3"}, preset),
    ("bernoulli", {"q": "0.3", "red": "7"}, reset),
    ("bernoulli", {"q": "0.3", "red": "7"}, lambda at: (preset(at), reset(at))),
    ("multiclass", {"y": "Rappa"}, k_down_and_up),
    ("bernoulli", {"steps": "20"}, playback),
    ("multiclass", {"names": "A, B, C", "y": "C"}, playback),
]


@pytest.mark.parametrize(("page", "link", "action"), CASES)
def test_no_notice_when_no_bad_link_was_opened(page, link, action):
    at = open_page(page, link)
    assert not notices(at), f"a good link {link} raised {notices(at)}"
    action(at)
    assert not at.exception
    assert not notices(at), notices(at)


@pytest.mark.parametrize(
    ("page", "link", "asked", "shown"),
    [
        ("multiclass", {"names": "A,A,B"}, "names=A,A,B", "A, A 2, B"),
        ("multiclass", {"names": "Zebra,Zebra,Zebra"}, "names=Zebra", "Zebra, Zebra 2, Zebra 3"),
        ("multiclass", {"names": "A,B\nC"}, "names=A,B C", "A, B C, Rappa"),
        (
            "multiclass",
            {"names": "Abcdefghijklmnopqrstu, B"},
            "names=Abcdefghijklmnopqrstu, B",
            "Abcdefghijklmnop, B, Rappa",
        ),
        ("multiclass", {"names": "x" * 201}, "names=" + "x" * 39 + "…", None),
        ("loss-comparison", {"losses": "nonsense"}, "losses=nonsense", None),
        ("bernoulli", {"p": "abc"}, "p=abc", "0.2"),
        ("bernoulli", {"q": "0.3", "lr": "7"}, "lr=7", "1"),
    ],
)
def test_a_link_value_not_used_as_given_is_named_with_what_is_shown(page, link, asked, shown):
    at = open_page(page, link)
    assert not at.exception
    [text] = notices(at)
    readable = unescape(text)
    assert asked in readable, readable
    if shown is not None:
        assert f"(shown: {shown})" in readable, readable
    assert "default" in readable
    at.run()  # the notice belongs to the run that opened the link
    assert not notices(at)


def test_a_201_character_names_link_is_not_taken_as_typed():
    # The text box holds at most 200 characters: the link's names are not what it shows.
    at = open_page("multiclass", {"names": "x" * 201})
    assert at.text_input(key="names").value != "x" * 201
    assert notices(at)


def test_an_empty_losses_link_shows_no_loss_and_says_so_without_a_link_notice():
    # ``losses=`` asks for no loss: the page shows none (as asked) and says to pick one.
    at = open_page("loss-comparison", {"losses": ""})
    assert at.session_state["losses"] == []
    assert not notices(at)
    assert any("Pick at least one loss" in i.value for i in at.info)


def test_true_class_follows_k_down_without_a_dangling_index():
    """Rappa (index 2), then K = 2: the selectbox shows a class that exists, and the run is
    clean; back to K = 3, any class is a real one."""
    from tests.test_app import open_page

    at = open_page("multiclass")
    at.selectbox(key="y").set_value(2).run()
    at.slider(key="k").set_value(2).run()
    at.slider(key="z1").set_value(1.0).run()  # a later move sends every widget's state back
    assert not at.exception
    assert at.selectbox(key="y").value in (0, 1)
    at.slider(key="k").set_value(3).run()
    assert not at.exception
    assert at.selectbox(key="y").value in (0, 1, 2)


def test_a_share_link_with_a_long_class_name_opens_without_a_notice():
    """A name typed longer than the 16 characters a class name keeps is cut in the box, so
    the Share link carries the names as shown, and a fresh session opening it shows the same
    names and no notice (before: the link carried it uncut, and "cannot use as given" met
    everyone who opened it)."""
    at = open_page("multiclass")
    at.text_input(key="names").input("Apple, A very long gorilla name, Rappa").run()
    state = navigation.lesson("multiclass").state
    query = dict(share_query(state, at.session_state))
    assert query["names"] == "Apple, A very long gori, Rappa"  # cut in the box itself
    fresh = open_page("multiclass", query)
    assert not notices(fresh)
    assert [s.label for s in fresh.slider if s.key == "z2"] == ["z for A very long gori"]

"""Predict, then reveal in a real Chromium, on a projector (1280x720) and a phone (390 px):
the question hides the lesson, a locked-in guess goes into the address and reveals it, a
reload keeps the guess, and Share offers the question. Screenshots (light and dark) land in
artifacts/screenshots/predict-*.png for a human to look at."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .helpers import assert_clean, open_page, screenshot_whole_app, settle

pytestmark = pytest.mark.browser

VIEWS = {
    "projector": {"width": 1280, "height": 720},
    "phone": {"width": 390, "height": 844},
}
ASK = "p=0.3&ask=bernoulli.min_loss"


def _main(page):
    return page.locator('[data-testid="stMain"]')


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_question_first_then_guess_and_truth_side_by_side(new_page, view, dark):
    page = new_page(**VIEWS[view], dark=dark)
    look = f"{view}-{'dark' if dark else 'light'}"
    open_page(page, "bernoulli", ASK)
    main = _main(page)
    expect(main.get_by_text("Predict, then reveal")).to_be_visible()
    expect(main.get_by_text("What is the smallest loss L")).to_be_visible()
    # The lesson is hidden: no chart, no reading, no presets or intro (they give it away).
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    expect(main.get_by_text("Reading:")).to_have_count(0)
    expect(main.get_by_role("button", name="About this page")).to_have_count(0)
    lock = main.get_by_role("button", name="Lock in my guess and reveal")
    expect(lock).to_be_in_viewport()  # a phone need not scroll to answer
    screenshot_whole_app(page, f"predict-gate-{look}.png")

    # The slider starts in the middle (0.35); one arrow key moves it a step to 0.36.
    main.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    settle(page)
    lock.click()
    settle(page)
    page.wait_for_url("**guess=*")  # the address follows the rerun a moment later
    assert parse_qs(urlsplit(page.url).query)["guess"] == ["0.36"]
    # H(0.3) = 0.61086 nats, to 4 decimals
    said = main.get_by_text("Your guess: 0.36 · The truth: 0.6109. Not right: off by 0.2509 nats")
    expect(said).to_be_visible()
    expect(said).to_be_in_viewport()  # the page scrolled to the reveal
    expect(main.get_by_text("within ±0.02 nats").first).to_be_visible()
    expect(main.get_by_text("Reading:").first).to_be_visible()
    assert_clean(page, f" ({look}, revealed)")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow} px"
    screenshot_whole_app(page, f"predict-reveal-{look}.png")

    page.reload()
    settle(page)
    # the guess is in the link
    expect(main.get_by_text("Not right: off by 0.2509 nats")).to_be_visible()


def test_share_offers_the_question(new_page):
    page = new_page(**VIEWS["projector"])
    open_page(page, "bernoulli", "p=0.3")
    _main(page).get_by_role("button", name="Share this view").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("combobox", name="Ask a question first").click()
    page.get_by_role("option", name="The lowest loss").click()
    expect(dialog.get_by_text("Students will first be asked")).to_be_visible()
    # the first link is the students' (the second, "Present this view", the presenter's)
    expect(dialog.locator("code").first).to_contain_text("ask=bernoulli.min_loss")
    link = dialog.locator("code").first.inner_text().strip()
    assert parse_qs(urlsplit(link).query) == {"p": ["0.3"], "ask": ["bernoulli.min_loss"]}
    screenshot_whole_app(page, "predict-share-projector-light.png")

"""The page registry: each page declared once, in one entry that everything else reads.

Each entry names its script in ``pages/``, its URL path (teachers share these: keep them
stable), its title, icon and Home card text, and for a lesson its state (a ``PageState``:
URL keys, defaults, presets, docs) and its questions (``xent.questions``). The entry point
(``streamlit_app.py``) builds the navigation from :func:`pages`; Home links each card with
``st.page_link`` to the same ``st.Page`` objects; the page switch, the Share link, the
predict gate, class mode's page list, the README's URL tables and the tests' page tables read
:data:`LESSONS`. Adding a page: its script and one entry here (its ``STATE`` in its lesson).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from xent import i18n, questions
from xent.i18n import N_, tr
from xent.lessons import bernoulli, comparison, multiclass
from xent.pagestate import PageState

ENTRY_RAN = "_entry_ran"
"""Session key set by ``streamlit_app.py`` on each full run, read by the page it runs."""
BUILT_PAGES = "_built_pages"
"""Session key of this session's ``st.Page`` objects, with the entries they were built from."""


@dataclass(frozen=True)
class PageEntry:
    """One page of the app: where its script is, how menus and Home present it (``card``: the
    Home card's text) and, for a lesson, its state; ``url_path`` is Streamlit's name for the
    page's path in the address (empty for Home, the default page). ``title`` and ``card``
    are English (marked with ``N_``): shown through ``tr`` in the session's language."""

    script: str
    url_path: str
    title: str
    icon: str
    card: str = ""
    state: PageState | None = None

    @property
    def questions(self) -> tuple[questions.Template, ...]:
        """The questions a link (``ask=``) or class mode may pose on this page."""
        return tuple(questions.BANK.get(self.url_path, ()))

    def page(self) -> st.Page:
        """This entry's ``st.Page`` of the current session (see :func:`pages`)."""
        return pages()[entries().index(self)]

    def build(self) -> st.Page:
        """A new ``st.Page`` for this entry (resolves and checks the script's path)."""
        title = tr(self.title)
        if not self.url_path:
            return st.Page(self.script, title=title, icon=self.icon, default=True)
        return st.Page(self.script, title=title, icon=self.icon, url_path=self.url_path)


HOME = PageEntry("pages/home.py", "", N_("Home"), ":material/home:")
LESSONS: list[PageEntry] = [
    PageEntry(
        "pages/bernoulli.py",
        "bernoulli",
        N_("Bernoulli"),
        ":material/casino:",
        N_(
            "A box of red and white balls. The loss curve, its floor H(p), "
            "a single neuron learning q → p step by step, and the chain rule with live numbers."
        ),
        bernoulli.STATE,
    ),
    PageEntry(
        "pages/multiclass.py",
        "multiclass",
        N_("Multiclass"),
        ":material/category:",
        N_(
            "Apple, Gorilla, Rappa: softmax, the −log Q curve, the gradient Q − t, "
            "descent across the probability triangle, and decision regions."
        ),
        multiclass.STATE,
    ),
    PageEntry(
        "pages/loss-comparison.py",
        "loss-comparison",
        N_("Loss Comparison"),
        ":material/compare_arrows:",
        N_(
            "Cross-entropy against squared error, absolute error and focal loss: "
            "who learns fastest from a confidently wrong start, and why."
        ),
        comparison.STATE,
    ),
]
"""The lesson pages, in menu order (a test may append a throwaway page)."""
CLASS = PageEntry(
    "pages/class.py",
    "class",
    N_("Class"),
    ":material/groups:",
    N_(
        "Class mode: open a room, pose a question about a lesson, let every student commit a "
        "guess from a phone, watch the answers come in, then reveal the truth."
    ),
)
"""The Class page (class mode), after the lessons in the menu."""


def lesson(url_path: str) -> PageEntry | None:
    """The lesson entry with this URL path, or None."""
    return next((entry for entry in LESSONS if entry.url_path == url_path), None)


def page_states() -> dict[str, PageState]:
    """Every lesson's state by its URL path, in menu order (read when called: a test may
    append a page)."""
    return {entry.url_path: entry.state for entry in LESSONS}


class LessonField(Mapping[str, Any]):
    """One field of every lesson entry by URL path (``LessonField("title")["bernoulli"]``),
    read when used, so that a page appended to :data:`LESSONS` later is in it too."""

    def __init__(self, field: str):
        self.field = field

    def __getitem__(self, url_path: str) -> Any:
        entry = lesson(url_path)
        if entry is None:
            raise KeyError(url_path)
        return getattr(entry, self.field)

    def __iter__(self) -> Iterator[str]:
        return iter([entry.url_path for entry in LESSONS])

    def __len__(self) -> int:
        return len(LESSONS)


def entries() -> list[PageEntry]:
    """Every page in menu order: Home first (the default page), the lessons, Class last."""
    return [HOME, *LESSONS, CLASS]


def pages() -> list[st.Page]:
    """``st.Page`` objects for every entry, in menu order, built once per session (and again
    when the session's language changes: the menu shows the titles in it).

    Not once per process: ``st.navigation`` marks the page it picks as the one allowed to
    run (state kept on the ``st.Page`` object) and ``Page.run`` clears the mark, so two
    students' script threads sharing one object could clear each other's mark between the
    two calls. One session's runs never overlap, so its own objects are safe to reuse.
    Rebuilt if the entries change (a test may append a page).
    """
    current = tuple(entries())
    built = st.session_state.get(BUILT_PAGES)
    if built is None or built[0] != (current, i18n.language()):
        built = ((current, i18n.language()), [entry.build() for entry in current])
        st.session_state[BUILT_PAGES] = built
    return built[1]


def run() -> None:
    """The entry point's navigation: mark the run as routed, then run the chosen page."""
    st.session_state[ENTRY_RAN] = True
    # The menu sits in the top bar, not in a sidebar: on a 1280x720 projector a 320 px
    # sidebar took a quarter of the width the lesson's charts need (on a phone, Streamlit
    # folds the top bar's pages into a menu button).
    st.navigation(pages(), position="top").run()


def ensure_entry() -> None:
    """Route a page through ``streamlit_app.py`` even on the first visit after a start.

    With a ``pages/`` folder, Streamlit runs the first session of a fresh process through its
    legacy folder router until some script calls ``st.navigation``: a deep link such as
    ``/bernoulli`` then runs ``pages/bernoulli.py`` alone (no wide layout, no menu). A page
    that finds it was not started by the entry point calls ``st.navigation`` itself (the
    public call that switches the legacy router off for the process) and reruns, so this
    first session goes through the entry point like every later one. No setting turns the
    legacy router off (Streamlit 1.67 documents none), and the folder must stay.
    """
    if st.session_state.pop(ENTRY_RAN, False):
        return
    st.navigation(pages(), position="hidden")
    st.rerun()

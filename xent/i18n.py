"""The app's two languages: English (the source text) and Japanese. No Streamlit here.

Every sentence a user reads is written in English in the code, inside :func:`tr` (text shown
now) or :func:`N_` (a constant, shown later through ``tr(constant)``). The English text is its
own key: the Japanese of each one is in the catalogue ``xent.locales.ja`` (one module per
area of the app, merged once per process at import). ``tests/test_i18n.py`` extracts every
``tr``/``N_`` string from the source and fails when one has no Japanese, when the catalogue
keeps a key the code no longer uses, or when the two disagree on their ``{placeholders}``.

The language is per session: each script run sets it first in a context variable
(``contextvars``, :func:`use`; ``xent.language.settle``), which is per thread. Code that runs
on a thread where no page run set it (a widget's callback, a fragment's or a dialog's rerun)
reads it from the session through the one source the Streamlit layer registers
(:func:`read_from`). No process-wide ``gettext.install``: the sessions of one Streamlit
process run side by side.

Numbers are formatted before they reach a sentence (``xent.explanations.fmt``), once, so a
reading shows the very same numbers in both languages (a decimal point, no digit grouping
below 1000: what both locales expect).
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from xent.locales import CATALOGUES

LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}
"""The languages offered, by code (as in ``lang=``), each with its own name."""

DEFAULT = "en"
"""The language of a browser whose locale is neither (and of code run outside a page)."""

_LANGUAGE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "xent_language", default=None
)

_SOURCE: list[Callable[[], str | None]] = []
"""Where :func:`language` looks when this thread's run did not set it (:func:`read_from`)."""

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A ``{name}`` in a message: filled by :func:`tr`'s keyword arguments. Braces around
anything else (KaTeX's ``\\frac{1}{2}``) are left as they are; a brace group that is a
name (``\\frac{1}{q}``) is filled only if a value of that name is given, so a message with
KaTeX names its placeholders by what they hold (``{q_shown}``)."""


def language() -> str:
    """The language of the current script run (``"en"`` or ``"ja"``): the one set on this
    thread, else the session's (:func:`read_from`), else :data:`DEFAULT`."""
    code = _LANGUAGE.get()
    if code is None and _SOURCE:
        try:
            code = _SOURCE[0]()
        except Exception:  # no session on this thread (a worker thread, bare Python)
            code = None
    return code if code in LANGUAGES else DEFAULT


def read_from(source: Callable[[], str | None]) -> None:
    """Register the session's language for threads where no page run set it (the Streamlit
    layer does this once per process; a later call replaces it)."""
    _SOURCE[:] = [source]


def use(code: str) -> None:
    """Make ``code`` the language of the current thread's context (a page run sets it first)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; expected one of {sorted(LANGUAGES)}")
    _LANGUAGE.set(code)


@contextmanager
def using(code: str) -> Iterator[None]:
    """The language ``code`` inside a ``with`` block (tests, CSV exports, benchmarks)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; expected one of {sorted(LANGUAGES)}")
    token = _LANGUAGE.set(code)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def from_locale(locale: str | None) -> str:
    """The language for a browser's locale (``st.context.locale``: ``"ja-JP"``, ``"en-GB"``);
    ``"ja"`` for any Japanese locale, otherwise :data:`DEFAULT`.

    >>> from_locale("ja-JP"), from_locale("ja"), from_locale("en-US"), from_locale(None)
    ('ja', 'ja', 'en', 'en')
    """
    primary = (locale or "").replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in LANGUAGES else DEFAULT


def N_(text: str) -> str:
    """Mark ``text`` as a message without translating it now (a constant read at import);
    show it with ``tr(constant)``."""
    return text


def fill(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` whose name is in ``values`` replaced by its value.

    >>> fill("q = {q_shown}, L = {L}; $\\\\frac{1}{q}$", {"q_shown": "0.30", "L": "1.20"})
    'q = 0.30, L = 1.20; $\\\\frac{1}{q}$'
    """
    if not values:
        return text
    return PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text
    )


def tr(text: str, /, **values: object) -> str:
    """``text`` (English, the key) in the current language, its ``{name}`` placeholders filled
    from ``values``. A message the catalogue lacks is shown in English (tests keep that from
    happening)."""
    code = language()
    if code != DEFAULT:
        text = catalogue(code).get(text, text)
    return fill(text, values)


def catalogue(code: str) -> Mapping[str, str]:
    """Every message of language ``code``: English text -> its translation (loaded once)."""
    return {} if code == DEFAULT else CATALOGUES[code]

"""Both languages, message by message: every sentence the code writes has its Japanese.

The messages are read from the source (``tr``/``N_`` literals, ``tests/i18n_support.py``) and
checked against the catalogue ``xent.locales.ja``: none missing, none stale, the same
``{placeholders}``, the same numbers written in the text, the same inline formulas, and the
glossary's Japanese wherever its English term appears.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

import pytest
from i18n_support import SOURCES, calls, messages

from xent import i18n
from xent.locales import glossary
from xent.locales.ja import MESSAGES as JA

WRITTEN = messages()


def test_every_message_the_code_writes_has_its_japanese() -> None:
    missing = {m: where for m, where in WRITTEN.items() if m not in JA}
    assert not missing, "no Japanese for:\n" + "\n".join(
        f"  {where[0]}: {m!r}" for m, where in sorted(missing.items(), key=lambda x: x[1])
    )


def test_the_catalogue_keeps_no_message_the_code_no_longer_writes() -> None:
    stale = sorted(set(JA) - set(WRITTEN))
    assert not stale, "in xent/locales/ja but written nowhere:\n" + "\n".join(map(repr, stale))


def test_a_message_is_a_literal_or_a_constant_never_an_f_string() -> None:
    """``tr(f"…{x}")`` would look up a different key for every x: placeholders instead."""
    bad = []
    for path in SOURCES:
        for node, marker in calls(path):
            first = node.args[0]
            if isinstance(first, ast.JoinedStr | ast.BinOp) or (
                marker == "N_" and not isinstance(first, ast.Constant)
            ):
                bad.append(f"{path.name}:{node.lineno}")
    assert not bad, f"tr()/N_() with a built string: {bad}"


@pytest.mark.parametrize("english", sorted(JA))
def test_a_translation_keeps_its_placeholders_numbers_and_formulas(english: str) -> None:
    japanese = JA[english]
    assert japanese.strip(), "empty translation"
    assert Counter(i18n.PLACEHOLDER.findall(japanese)) == Counter(
        i18n.PLACEHOLDER.findall(english)
    ), "placeholders differ"
    bare = i18n.PLACEHOLDER.sub("", english), i18n.PLACEHOLDER.sub("", japanese)
    numbers = [Counter(re.findall(r"\d+(?:\.\d+)?", text)) for text in bare]
    assert numbers[0] == numbers[1], "the numbers written in the text differ"
    formulas = [Counter(re.findall(r"\$[^$]+\$", text)) for text in bare]
    assert formulas[0] == formulas[1], "the inline formulas ($…$) differ"
    if re.search(r"[A-Za-z]{4,}", english.replace("{", " ")):
        assert japanese != english, "not translated"


@pytest.mark.parametrize(("term", "japanese"), glossary.TERMS)
def test_the_glossary_term_is_used_wherever_its_english_is(term: str, japanese: str) -> None:
    pattern = re.compile(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", re.IGNORECASE)
    off = [
        e
        for e, j in JA.items()
        if pattern.search(i18n.PLACEHOLDER.sub("", e)) and japanese not in j
    ]
    assert not off, f"{term!r} is {japanese!r} in the glossary; these say otherwise:\n" + "\n".join(
        f"  {e!r} -> {JA[e]!r}" for e in off
    )


def test_tr_fills_placeholders_and_leaves_other_braces() -> None:
    with i18n.using("ja"):
        assert i18n.language() == "ja"
    filled = i18n.tr(r"$\frac{1}{q}$ at q = {q_shown}", q_shown="0.30")
    assert filled == r"$\frac{1}{q}$ at q = 0.30"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.use("xx")

"""日本語: the Japanese of every message, one module per area of the app, merged here once.

Each area module holds ``MESSAGES``: English message -> Japanese. Write Japanese as a
Japanese teacher would (not word for word), with the terms of ``xent.locales.glossary``.
"""

from __future__ import annotations

from xent.locales.ja import (
    app,
    bernoulli,
    charts,
    classroom,
    comparison,
    multiclass,
    questions,
    readings,
)

AREAS = (app, bernoulli, multiclass, comparison, charts, readings, questions, classroom)


def _merged() -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in AREAS:
        for english, japanese in area.MESSAGES.items():
            if merged.get(english, japanese) != japanese:
                raise ValueError(
                    f"{area.__name__} translates {english!r} as {japanese!r}, "
                    f"another area as {merged[english]!r}: keep one"
                )
            merged[english] = japanese
    return merged


MESSAGES: dict[str, str] = _merged()

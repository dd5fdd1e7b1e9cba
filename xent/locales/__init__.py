"""The translations of the app's messages, one catalogue per language (``xent.i18n``).

A catalogue maps each English message, exactly as the code writes it inside ``tr``/``N_``,
to its translation. Plain data: nothing here imports the app. The terms every translation
uses are in :mod:`xent.locales.glossary`.
"""

from __future__ import annotations

from xent.locales import ja

CATALOGUES: dict[str, dict[str, str]] = {"ja": ja.MESSAGES}

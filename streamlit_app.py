"""xent: why cross-entropy is the loss for classification (entry point).

Page config and navigation only; the pages are declared once in ``xent.navigation`` and each
is a thin script in ``pages/``. The URL paths are stable (teachers share them): ``/``,
``/bernoulli``, ``/multiclass``, ``/loss-comparison``.
"""

import streamlit as st

import xent.warmup  # noqa: F401  (once per process: import the heavy modules, then gc.freeze())
from xent import language, navigation, style
from xent.i18n import tr

language.settle()  # first: every sentence of this run is in the session's language
st.set_page_config(
    page_title=tr("xent: cross-entropy, live"),
    page_icon="🎯",
    layout="wide",
    initial_sidebar_state="auto",
)

style.apply()
language.notice()
navigation.run()

"""The Streamlit layer shared by the pages, split by job (each module imports only those
listed below it, never a page-specific one; ``tests/test_layers.py`` checks it):

- ``page``: a lesson page's header (room panel, predict gate, presets, Reset, Share dialog);
  it composes the modules below and ``xent.classroom.ui``.
- ``ask``: predict, then reveal (a link's ``ask=`` question before the lesson).
- ``bernoulli``, ``multiclass``, ``comparison``: each page's own controls.
- ``notice``: link values a control could not take, named as literal text.
- ``widgets``: URL-bound sliders, fixed options, whole numbers, the step player.
- ``drawing``: charts from finished specs, readings, formulas, CSV downloads.
- ``present``: present mode (the projector figure: chosen sections, slides, larger chart
  text).
- ``state``: page state and the URL (entering a page, switching, presets, the Share query).
- ``player`` and ``animation``: the step scrubber's play / step, and its marker moving in the
  browser.

User text shown literally, and class names, are in ``xent.text`` (no Streamlit); the pages
and their states are declared once, in ``xent.navigation``.
"""

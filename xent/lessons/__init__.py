"""One Streamlit-free module per lesson page: its readings, chart adapters and typed results.

Pages draw; these modules say what the numbers mean. They import no Streamlit, so every
reading can be unit-tested against an independent recomputation.
"""

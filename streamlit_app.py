"""xent: why cross-entropy is the loss for classification (entry point)."""

import streamlit as st

st.set_page_config(page_title="xent: cross-entropy, live", page_icon="🎯", layout="wide")
st.title("xent")
st.write("Why cross-entropy is the objective function of choice for classification.")

"""Class mode: rooms where students predict, submit, and see the class's answers revealed.

``store`` is the Streamlit-free storage and room logic; ``ui`` draws it in the app.
"""

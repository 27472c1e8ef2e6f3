"""Streamlit dashboard pages: thin modules that call tasks/ and sim/.

Each ``page_*.py`` file is a Streamlit page script; :mod:`ui.nav` lists them and
:mod:`ui.common` holds the shared widgets, caching and error display.
"""

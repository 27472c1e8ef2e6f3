"""Service-hall simulation (SimPy), staffing (Erlang C and simulation) and rosters (CP-SAT).

No Streamlit here: the dashboard (``ui/``) and the notebooks call these functions.
"""

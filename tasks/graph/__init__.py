"""The dependency graph of a programme (networkx): build, analyse, export.

Typical use (``plan`` from :func:`tasks.importers.load_plan`)::

    g = build_graph(plan, read_predecessor_file("predecessors.csv"))
    analyse(g)["critical_path"]["tasks"]        # ['10', '11', '12']
    slip_impact(g, "10", 30)["affected_tasks"]  # ['11', '12']
"""

from .analysis import analyse, critical_path, dated_dag, deadline_inversions, finishes, slack, slip_impact
from .build import (
    build_combined,
    build_graph,
    check_acyclic,
    due_date,
    expand_collectives,
    load_members,
    require_task,
    task_node,
    unit_node,
)
from .edit import check_predecessors, review_changes, set_predecessors, with_links
from .errors import BadPredecessorText, CycleError, GraphError, PredecessorFileError, UnknownPredecessor
from .export import edge_list, export_all, neighbourhood, render, to_dot, write_edge_list, write_gexf, write_graphml
from .load import collaboration_pairs, load_table, unit_centrality, unit_load, unit_projection
from .predecessors import (
    PredecessorLink,
    links_from_plan,
    parse_predecessor_text,
    predecessor_file_beside,
    read_predecessor_file,
)

__all__ = [
    "BadPredecessorText",
    "CycleError",
    "GraphError",
    "PredecessorFileError",
    "PredecessorLink",
    "UnknownPredecessor",
    "analyse",
    "build_combined",
    "build_graph",
    "check_acyclic",
    "check_predecessors",
    "collaboration_pairs",
    "critical_path",
    "dated_dag",
    "deadline_inversions",
    "due_date",
    "edge_list",
    "expand_collectives",
    "export_all",
    "finishes",
    "links_from_plan",
    "load_members",
    "load_table",
    "neighbourhood",
    "parse_predecessor_text",
    "predecessor_file_beside",
    "read_predecessor_file",
    "render",
    "require_task",
    "review_changes",
    "set_predecessors",
    "slack",
    "slip_impact",
    "task_node",
    "to_dot",
    "unit_centrality",
    "unit_load",
    "unit_node",
    "unit_projection",
    "with_links",
    "write_edge_list",
    "write_gexf",
    "write_graphml",
]

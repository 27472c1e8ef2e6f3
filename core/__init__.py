"""The small shared kernel under ``tasks`` and ``sim``: errors, command-line runner, configuration.

``tasks`` and ``sim`` both import ``core`` and never each other; ``core`` imports neither.
"""

from .errors import InputError, Issue, WorkbenchError

__all__ = [
    "InputError",
    "Issue",
    "WorkbenchError",
]

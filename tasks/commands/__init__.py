"""Sub-commands of ``python -m tasks``: one module each, with ``register(subparsers)``."""

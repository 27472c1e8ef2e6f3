"""Sub-commands of ``python -m tasks``: one module each, with ``register(subparsers)``."""

#: nothing to import from here: core.cli.build_parser finds the modules and calls their register()
__all__: list[str] = []

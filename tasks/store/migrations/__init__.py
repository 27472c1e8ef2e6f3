"""Alembic migrations of the task store (run by :func:`tasks.store.config.migrate`)."""

__all__: list[str] = []

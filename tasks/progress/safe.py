"""Neutralise spreadsheet formula injection in everything we export.

A cell text starting with ``= + - @`` (or a tab/CR) would be run as a formula
by Excel/WPS; we prefix it with an apostrophe so it stays text.

>>> safe_text("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_text("-5"), safe_text(-5), safe_text("推进中")
("'-5", -5, '推进中')
"""
from __future__ import annotations

from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """The value, with dangerous leading characters of strings made harmless."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def unsafe_text(value: Any) -> Any:
    """Undo :func:`safe_text` when reading our own exports back."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in DANGEROUS and value[1:2]:
        return value[1:]
    return value

"""Neutralise spreadsheet formula injection in everything we export (see :mod:`core.safe_export`).

>>> safe_text("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
"""

from __future__ import annotations

from core.safe_export import DANGEROUS, safe_text, unsafe_text

__all__ = ["DANGEROUS", "safe_text", "unsafe_text"]

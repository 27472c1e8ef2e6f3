"""Showing an imported task's source text on the 导入 page with each field's words highlighted.

User text is escaped so that neither HTML nor Markdown/Streamlit directives in a
document do anything on the page.

>>> out = highlighted("![x](http://h/p.png):red[假通知]<b>市财政局</b>", Task(id="1", lead_units=["市财政局"]))
>>> out[:49]
'<div>&#33;&#91;x&#93;&#40;http&#58;//h/p.png&#41;'
>>> "<b>" in out, "](" in out, ":red[" in out, '<mark style="background:#ffe08a" title="牵头单位">市财政局</mark>' in out
(False, False, False, True)
"""

from __future__ import annotations

from tasks import Task

__all__ = ["MARK", "FIELD_CN", "plain", "highlighted"]

MARK = {"title": "#e8e8ff", "lead": "#ffe08a", "responsible": "#cdeafe", "persons": "#f9d0e6", "deadline": "#c9f2c9"}
FIELD_CN = {
    "title": "任务名称",
    "lead": "牵头单位",
    "responsible": "责任单位",
    "persons": "责任领导",
    "deadline": "完成时限",
}


_ENTITY = {ch: f"&#{ord(ch)};" for ch in "[]()!*_~:`#|\\{}$<>&\"'-+="} | {"\n": "<br>"}


def plain(text: str) -> str:
    """User text as inert HTML: escaped, and Markdown/Streamlit directive characters as entities."""
    return "".join(_ENTITY.get(ch, ch) for ch in text)


def highlighted(text: str, task: Task) -> str:
    """The task's source text with each field's words marked in its colour (HTML, user text escaped)."""
    from tasks.importers.confidence import source_segments

    parts = []
    for piece, field in source_segments(text, task):
        if field is None:
            parts.append(plain(piece))
        else:
            parts.append(f'<mark style="background:{MARK[field]}" title="{FIELD_CN[field]}">{plain(piece)}</mark>')
    return "<div>" + "".join(parts) + "</div>"

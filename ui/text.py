"""User text shown by Streamlit elements that render Markdown (markdown, caption, headers, notices).

Task titles, unit, file and scenario names come from users' files: put into
``st.markdown`` as they are, ``![x](http://host/p.png)`` makes every viewer's
browser fetch an outside address and ``:red[…]`` shows fake notices.  Pages pass
such text through :func:`md` (or show it with ``st.text``).
"""

from __future__ import annotations

import re

__all__ = ["md"]

#: ``[`` escaped is enough to stop ``:red[…]``/``:material/…[`` directives, so ``:`` stays as typed
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&=^])")


def md(text: object) -> str:
    """User text (task titles, unit, file and scenario names) made inert for ``st.markdown``,
    captions, headers and notices: every Markdown/directive character is backslash-escaped, so
    ``![x](http://host/p.png)`` fetches nothing and ``:red[…]`` shows as typed; newlines kept.

    >>> print(md("![x](http://h/p.png) :red[通知]"))
    \\!\\[x\\]\\(http:\\/\\/h\\/p\\.png\\) :red\\[通知\\]
    """
    text = "" if text is None else str(text)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("/", "\\/").replace("\n", "  \n")

"""Bytes of a text file to str without asking the user which encoding it is.

Government text arrives as UTF-8, UTF-8 with BOM, UTF-16 (Notepad's "Unicode")
or GBK/GB18030.  Strict decoding in that order is exact for real files;
charset-normalizer is only the last resort.  :func:`looks_garbled` spots text
that decoded without error but is mojibake (GBK bytes shown as latin-1).

>>> decode_bytes("牵头单位".encode("gbk"))
('牵头单位', 'gb18030')
>>> looks_garbled("Ç£Í·µ¥Î»:ÊÐÉó¸Ä°ì"), looks_garbled("牵头单位:市审改办")
(True, False)
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN1_SUPPLEMENT = re.compile(r"[\u00a1-\u00ff]")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding name)``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    for enc in ("utf-8", "gb18030"):  # a cut-off last character or one bad byte
        text = data.decode(enc, errors="replace")
        if text.count("\ufffd") <= max(2, len(text) // 1000):
            return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8(有无法解码的字节)"


def looks_garbled(text: str) -> bool:
    """True when text that should be Chinese is mostly latin-1 letters or replacement marks."""
    sample = re.sub(r"\s+", "", text)[:20000]
    if not sample:
        return False
    cjk = len(_CJK.findall(sample))
    latin = len(_LATIN1_SUPPLEMENT.findall(sample))
    bad = sample.count("\ufffd")
    return (latin > cjk and latin >= 5) or bad > max(len(sample) // 20, 10)

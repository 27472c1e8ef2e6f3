"""佐证材料: evidence files checked by content and kept content-addressed beside the database.

A file is accepted when its bytes are one of the allowed kinds (pdf, jpg, png,
docx, xlsx — read from the magic bytes with ``filetype``, never from the name),
its name's extension agrees with its content, and it is at most 20 MB.  Files
are stored once per content under ``WORKBENCH_FILES_DIR`` (default
``var/files/``) as ``ab/abcdef…`` (sha256), the folders created 0700 and the
files 0600; the database keeps name, size, uploader and time.

>>> check_evidence("报告.pdf", b"%PDF-1.4\\n%...").kind
'pdf'
>>> check_evidence("照片.pdf", b"\\x89PNG\\r\\n\\x1a\\n" + bytes(32))   # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tasks.progress.evidence.BadEvidence: 佐证材料“照片.pdf”的内容是 PNG 图片,与扩展名 .pdf 不符...
>>> sanitize_filename("../../etc/passwd<script>.pdf")
'passwd_script_.pdf'
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import filetype

from ..errors import WorkbenchError

__all__ = [
    "BadEvidence",
    "EvidenceFile",
    "MAX_BYTES",
    "ENV_FILES_DIR",
    "files_dir",
    "check_evidence",
    "sanitize_filename",
    "store_file",
    "read_file",
    "KINDS",
]

MAX_BYTES = 20 * 1024 * 1024
ENV_FILES_DIR = "WORKBENCH_FILES_DIR"

#: allowed kind → (MIME type, Chinese name, extensions that may carry it)
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", "PDF 文档", (".pdf",)),
    "jpg": ("image/jpeg", "JPG 图片", (".jpg", ".jpeg")),
    "png": ("image/png", "PNG 图片", (".png",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格", (".xlsx",)),
}
_ALLOWED_TEXT = "PDF、JPG、PNG、Word(docx)或 Excel(xlsx)"


class BadEvidence(WorkbenchError):
    """An evidence file that is refused (kind, size, name); nothing of it is stored."""


@dataclass(frozen=True)
class EvidenceFile:
    """A checked file ready to store."""

    filename: str
    kind: str
    mime: str
    size: int
    sha256: str
    content: bytes

    def __repr__(self) -> str:  # keep megabytes out of logs and test output
        return f"EvidenceFile({self.filename!r}, {self.kind}, {self.size} bytes)"


def files_dir() -> Path:
    """The file store: ``WORKBENCH_FILES_DIR`` or ``var/files/`` under the workbench home (:mod:`core.config`)."""
    from core.config import files_dir as configured

    return configured()


def sanitize_filename(name: str) -> str:
    """A safe display name: no folders, no control or markup characters, at most 120 characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", str(name or "")))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*&;`$\']+', "_", base).strip(" .")
    if not base:
        return "佐证材料"
    stem, dot, ext = base.rpartition(".")
    if dot and len(base) > 120:
        base = stem[: 120 - len(ext) - 1] + "." + ext
    return base[:120]


def _kind_of(content: bytes) -> str | None:
    guess = filetype.guess(content[:8192] if len(content) > 8192 else content)
    if guess is None:
        return None
    for kind, (mime, _name, _exts) in KINDS.items():
        if guess.mime == mime:
            return kind
    return None


def check_evidence(filename: str, content: bytes) -> EvidenceFile:
    """Check one file; raise :class:`BadEvidence` with the file's name and how to fix it."""
    name = sanitize_filename(filename)
    if not content:
        raise BadEvidence(f"佐证材料“{name}”是空文件,请重新选择文件")
    if len(content) > MAX_BYTES:
        raise BadEvidence(f"佐证材料“{name}”有 {len(content) / 1048576:.1f} MB,超过 20 MB 上限;请压缩或拆分后再上传")
    kind = _kind_of(content)
    ext = Path(name).suffix.lower()
    if kind is None:
        raise BadEvidence(f"佐证材料“{name}”不是可接受的文件类型(按文件内容判断);只接受 {_ALLOWED_TEXT}")
    mime, kind_name, exts = KINDS[kind]
    if ext not in exts:
        raise BadEvidence(
            f"佐证材料“{name}”的内容是 {kind_name},与扩展名 {ext or '(无)'} 不符;"
            f"请确认文件无误并使用正确的扩展名({'、'.join(exts)})"
        )
    return EvidenceFile(name, kind, mime, len(content), hashlib.sha256(content).hexdigest(), content)


def _path(sha256: str, root: Path | None = None) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise BadEvidence("佐证材料编号无效")
    return (root or files_dir()) / sha256[:2] / sha256


def store_file(ev: EvidenceFile, root: Path | None = None) -> tuple[Path, bool]:
    """Write ``ev`` content-addressed (0700 folders, 0600 file); returns (path, newly written)."""
    root = root or files_dir()
    path = _path(ev.sha256, root)
    for d in (root, path.parent):
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(d, 0o700)
    if path.exists():
        return path, False
    tmp = path.with_name(f".{ev.sha256}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, ev.content)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return path, True


def read_file(sha256: str, root: Path | None = None) -> bytes:
    """The stored bytes of a file (checked against its hash)."""
    path = _path(sha256, root)
    if not path.exists():
        raise BadEvidence("佐证材料文件在文件库中找不到,请联系管理员检查 WORKBENCH_FILES_DIR")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BadEvidence("佐证材料文件已损坏(内容与登记的哈希不一致),请联系管理员")
    return data

"""Report files are written atomically: into a temporary file beside the target, then renamed.

A reader (a CI step, a browser) never sees a half-written report: the target holds either its old
content or the whole new one. A failure (unwritable folder, disk full, an exception while
rendering) leaves no temporary file behind and becomes an InputError naming the file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ..errors import InputError


@contextmanager
def atomic_open(path: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text file to write; on a clean exit it replaces `path` in one rename, on an
    exception it is deleted and `path` is left untouched."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write the report ({exc.strerror or exc})", file=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except OSError as exc:
            raise InputError(f"cannot write the report ({exc.strerror or exc})", file=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically (see atomic_open)."""
    with atomic_open(path) as fh:
        fh.write(text)


def _umask() -> int:
    """The process umask (mkstemp creates 0600 files; a report gets the usual permissions)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask

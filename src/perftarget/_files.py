"""Reading text files and writing files atomically: the one home of both, for every reader and writer.

A file is written in full to a temporary file beside the target, flushed to disk and renamed
over the target (``os.replace``, atomic within a folder): a failure at any point leaves the
old file as it was and no temporary file behind. The new file gets the mode the old one had,
or, for a new file, the mode the umask gives (``mkstemp`` would give ``0600``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from perftarget.exceptions import DocumentError, Problem

__all__ = ["atomic_writer", "read_text_file", "temporary_beside", "write_atomic"]

_ATTEMPTS = 100


def read_text_file(file: Path) -> str:
    """The UTF-8 text of a file (a byte-order mark is dropped).

    Raises:
        DocumentError: the file cannot be read or is not UTF-8.
    """
    try:
        return file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DocumentError([Problem("", f"cannot read the file: {exc.strerror or exc}")], source=str(file)) from exc
    except UnicodeDecodeError as exc:
        raise DocumentError([Problem(f"byte {exc.start}", "the file is not UTF-8 text")], source=str(file)) from exc


def temporary_beside(target: Path) -> Path:
    """A new, empty file in the folder of ``target``, with the mode ``target`` has or would get.

    The caller writes it and renames it onto ``target`` (``os.replace``), or removes it.
    """
    for _ in range(_ATTEMPTS):
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        except FileExistsError:  # pragma: no cover - 32 random bits taken
            continue
        os.close(handle)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            return candidate
        try:
            candidate.chmod(mode)
        except BaseException:
            candidate.unlink(missing_ok=True)
            raise
        return candidate
    msg = f"cannot create a temporary file beside {target}"  # pragma: no cover
    raise FileExistsError(msg)  # pragma: no cover


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` when the ``with`` block ends without an error.

    On any exception (in the block, or while flushing or renaming) the temporary file is
    removed and the exception propagates; ``path`` keeps what it held.
    """
    target = Path(path)
    temporary = temporary_beside(target)
    try:
        with temporary.open("wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(target)  # os.replace: atomic within a folder
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    with atomic_writer(path) as stream:
        stream.write(data)

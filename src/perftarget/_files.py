"""Reading text files and writing files atomically: the one home of both, for every reader and writer.

A file is written in full to a temporary file beside the target, flushed to disk and renamed
over the target (``os.replace``, atomic within a folder): a failure at any point leaves the
old file as it was and no temporary file behind. The new file gets the mode the old one had,
or, for a new file, the mode the umask gives (``mkstemp`` would give ``0600``).

A process killed outright (``SIGKILL``, a power cut) cannot remove its temporary file. The
name says whose it is: ``.{name}.perftarget-{host}-{pid}-{random}.tmp`` beside the target
(``host`` a short tag of the machine's name). The first write of a process into a folder removes
the temporary files there whose process, on this machine, is no longer running; nothing reads
them (their suffix is ``.tmp``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final

from perftarget._limits import DEFAULT_LIMITS, Limits
from perftarget.exceptions import DocumentError, Problem

__all__ = [
    "atomic_writer",
    "decode_text",
    "read_bytes",
    "read_text_file",
    "remove_stale_temporaries",
    "temporary_beside",
    "temporary_name",
    "write_atomic",
]

_ATTEMPTS = 100
_HOST: Final = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_TEMPORARY: Final = re.compile(r"\..+\.perftarget-(?P<host>[0-9a-f]{6})-(?P<pid>[0-9]+)-[0-9a-f]{8}\.tmp")
_swept: set[str] = set()  # the folders this process has cleared of stale temporary files


def read_bytes(file: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a regular file of at most ``limits.text_bytes``, read without blocking on a FIFO or device.

    Raises:
        DocumentError: not a regular file, larger than the limit, or unreadable.
    """
    source = str(file)
    try:
        with open(file, "rb", opener=_nonblocking) as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise DocumentError([Problem("", f"cannot read the file: {not_a_file(mode)}")], source=source)
            data = stream.read(limits.text_bytes + 1)
    except IsADirectoryError as exc:
        problem = Problem("", f"cannot read the file: {not_a_file(stat.S_IFDIR)}")
        raise DocumentError([problem], source=source) from exc
    except OSError as exc:
        raise DocumentError([Problem("", f"cannot read the file: {exc.strerror or exc}")], source=source) from exc
    if len(data) > limits.text_bytes:
        message = f"larger than the limit text_bytes = {limits.text_bytes:,} bytes"
        raise DocumentError([Problem("", message)], source=source)
    return data


_KINDS: Final = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
)


def not_a_file(mode: int) -> str:
    """What a path of this mode is instead of a regular file: ``"it is a FIFO (named pipe), not a file"``."""
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"it is {kind}, not a file"


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def decode_text(data: bytes, source: str, encoding: str | None = None) -> str:
    """Text from bytes: UTF-8 (a byte-order mark dropped) unless ``encoding`` names another.

    JSON and TOML are UTF-8 by their specifications. Text that is not says which encoding it
    looks like (GB18030/GBK from Chinese Windows, UTF-16) and how to convert it.

    Raises:
        DocumentError: the bytes are not text in that encoding.
    """
    try:
        return data.decode(encoding or "utf-8-sig")
    except LookupError as exc:
        raise DocumentError([Problem("", f"unknown encoding {encoding!r}")], source=source) from exc
    except UnicodeDecodeError as exc:
        if encoding is not None:
            message = f"not {encoding} text (byte {exc.start}: {data[exc.start:exc.start + 4]!r})"
            raise DocumentError([Problem(f"byte {exc.start}", message)], source=source) from exc
        raise DocumentError([Problem(f"byte {exc.start}", _not_utf8(data))], source=source) from exc


def _not_utf8(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        guess, name = "UTF-16", "utf-16"
    else:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            return "the file is not UTF-8 text (JSON and TOML files are UTF-8)"
        guess, name = "GB18030/GBK (as saved by Chinese Windows programs)", "gb18030"
    return (
        f"the file is not UTF-8 text: it looks like {guess}. JSON and TOML files are UTF-8; convert it "
        f"(iconv -f {name.upper()} -t UTF-8 FILE > NEW, or save it as UTF-8 in your editor), "
        f"or read it with encoding={name!r}"
    )


def read_text_file(file: Path, *, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a file (UTF-8 unless ``encoding`` says otherwise), bounded by ``limits.text_bytes``.

    Raises:
        DocumentError: the file cannot be read, is not a regular file, is too large, or is
            not text in the encoding (with the encoding it looks like).
    """
    return decode_text(read_bytes(file, limits), str(file), encoding)


def temporary_name(target: Path) -> str:
    """The name of a new temporary file for ``target``: hidden, ``.tmp``, and saying which process made it."""
    return f".{target.name}.perftarget-{_HOST}-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _running(pid: int) -> bool:
    """Whether a process with this id runs on this machine (``True`` when that cannot be told)."""
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files in ``folder`` left by processes of this machine that no longer run.

    Files of another machine (a shared folder) or of a running process are left alone.
    Returns the files removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or match["host"] != _HOST or _running(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):  # removed meanwhile, or not ours to remove
            Path(entry.path).unlink()
            removed.append(Path(entry.path))
    return removed


def _named(exc: OSError, target: Path) -> OSError:
    """``exc`` about ``target`` rather than the temporary file (same type, errno and message).

    An error without an errno (made with a message only) is returned as it is.
    """
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(target))


def temporary_beside(target: Path) -> Path:
    """A new, empty file in the folder of ``target``, with the mode ``target`` has or would get.

    The caller writes it and renames it onto ``target`` (``os.replace``), or removes it. The first
    call of a process for a folder removes the stale temporary files there
    (:func:`remove_stale_temporaries`).

    Raises:
        OSError: the file cannot be created; its ``filename`` is ``target``.
    """
    folder = os.path.abspath(target.parent)  # noqa: PTH100 - a key, no resolving of links
    if folder not in _swept:
        _swept.add(folder)
        remove_stale_temporaries(target.parent)
    for _ in range(_ATTEMPTS):
        candidate = target.with_name(temporary_name(target))
        try:
            handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        except FileExistsError:  # pragma: no cover - 32 random bits taken
            continue
        except OSError as exc:
            named = _named(exc, target)
            if named is exc:
                raise
            raise named from exc
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
        try:
            temporary.replace(target)  # os.replace: atomic within a folder
        except OSError as exc:  # say which file could not be written, not the temporary one
            named = _named(exc, target)
            if named is exc:
                raise
            raise named from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    with atomic_writer(path) as stream:
        stream.write(data)

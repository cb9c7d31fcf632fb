"""The one progress bar of the command line and of batches, drawn by rich when it is installed.

perftarget draws no terminal bar by hand: with the ``cli`` extra (rich), :func:`progress_bar`
draws one on the stream it is given (animated on a terminal, the final line elsewhere);
without rich it draws nothing and the work is the same.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Protocol, TextIO

__all__ = ["Bar", "progress_bar"]


class Bar(Protocol):
    """What counts the items done."""

    def advance(self, note: str = "") -> None:
        """Count one item done; ``note`` follows the count (``"files, 60 rows"``)."""


class _Silent:
    def advance(self, note: str = "") -> None:
        pass


class _Rich:
    def __init__(self, progress: object, task: object, unit: str) -> None:
        self.progress, self.task, self.unit = progress, task, unit

    def advance(self, note: str = "") -> None:
        description = f"{self.unit}, {note}" if note else self.unit
        self.progress.update(self.task, advance=1, description=description)  # type: ignore[attr-defined]


@contextlib.contextmanager
def progress_bar(total: int, stream: TextIO | None, unit: str = "files") -> Iterator[Bar]:
    """A bar counting ``total`` items on ``stream`` (``None``: no bar), closed with a last line."""
    if stream is None or total < 1:
        yield _Silent()
        return
    try:  # an optional dependency: imported when a bar is asked for
        from rich.console import Console  # noqa: PLC0415
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415
    except ImportError:
        yield _Silent()
        return
    console = Console(file=stream, width=100, highlight=False)
    columns = (BarColumn(bar_width=30), MofNCompleteColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console) as progress:
        yield _Rich(progress, progress.add_task(unit, total=total), unit)

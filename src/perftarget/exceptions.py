"""The exceptions and warnings perftarget raises.

Every exception is a :class:`PerftargetError` and also a subclass of the builtin that
callers already catch (mostly :class:`ValueError`), so ``except ValueError`` keeps
working in code that does not know about perftarget.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "DocumentError",
    "EvaluationError",
    "InvalidActualError",
    "InvalidValueError",
    "LimitExceededError",
    "MissingDependencyError",
    "MonitoringError",
    "PerftargetError",
    "PerftargetWarning",
    "Problem",
    "ThresholdSyntaxError",
    "UnitMismatchError",
    "WorkbookError",
    "WrongTypeError",
]


_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlist = _REPR.maxdict = 6
_REPR.maxlevel = 3


def shown(value: object) -> str:
    """``repr(value)`` for a message, cut to about 80 characters (a hostile input may be megabytes long)."""
    if isinstance(value, str) and len(value) > _REPR.maxstring:
        return f"{_REPR.repr(value)} ({len(value):,} characters)"
    return _REPR.repr(value)


class PerftargetError(Exception):
    """Base class of every error perftarget raises on purpose."""


class PerftargetWarning(UserWarning):
    """Base class of the warnings perftarget emits."""


class TraditionalTextWarning(PerftargetWarning):
    """A table is in traditional characters (績效, 萬元, 產出指標): read through opencc, or not recognised without it.

    With opencc (the ``traditional`` extra) labels, headings and level names are compared in
    simplified characters and the texts are kept as printed; without it the message gives the
    command that installs it.

    .. versionadded:: 0.1.0
    """


class InvalidValueError(PerftargetError, ValueError):
    """A model value breaks an invariant (a negative budget, a decreasing plan...).

    Attributes:
        field: the name of the offending field, when one field is to blame.
        value: the offending value.
    """

    def __init__(self, message: str, *, field: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class WrongTypeError(InvalidValueError, TypeError):
    """A field of a model class was given a value of the wrong type (``ProjectTargets(year="2024")``).

    Both a :class:`TypeError` (what Python raises for a wrong type) and an
    :class:`InvalidValueError`, so ``except TypeError`` and ``except ValueError`` both catch it.
    The message names the class, the field, the type expected and the type given.

    Attributes:
        field: the field's name.
        value: the value given.

    .. versionadded:: 0.2.0
    """


class LimitExceededError(InvalidValueError):
    """An input is larger than a bound of :class:`~perftarget.Limits` allows (a size, a depth, a number's range).

    Attributes:
        limit: the name of the bound (``"sheet_cells"``, ``"number_digits"``...).
        value: the size or value found.
        where: the place (a file, a path, ``Sheet!A12``), when known.
    """

    def __init__(self, message: str, *, limit: str, value: object = None, where: str = "") -> None:
        super().__init__(message, field=limit, value=value)
        self.limit = limit
        self.where = where


class ThresholdSyntaxError(PerftargetError, ValueError):
    """A target value (指标值) could not be read.

    Attributes:
        text: the text that was being read.
        column: 1-based column in ``text`` where reading stopped.
        expected: what would have been accepted at that column.
    """

    def __init__(self, text: str, column: int, expected: str) -> None:
        self.text = text
        self.column = column
        self.expected = expected
        super().__init__(f"cannot read target {shown(text)} at column {column}: expected {expected}")


class UnitMismatchError(PerftargetError, ValueError):
    """Two quantities of different dimensions were compared or converted (万元 vs 小时)."""

    def __init__(self, from_unit: str, to_unit: str) -> None:
        self.from_unit = from_unit
        self.to_unit = to_unit
        shown_from = from_unit or "(no unit)"
        shown_to = to_unit or "(no unit)"
        super().__init__(f"cannot compare {shown_from!r} with {shown_to!r}: different dimensions")


class InvalidActualError(PerftargetError, ValueError):
    """An actual value (实际完成值) cannot be compared with its target."""


@attrs.frozen
class Problem:
    """One problem found in a document: where it is and what was expected.

    ``location`` is a path such as ``projects[0].goals[0].indicators[2].target``
    (empty for the document as a whole, or ``line 3, column 7`` for a syntax error).
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class DocumentError(PerftargetError, ValueError):
    """A document (file or mapping) is malformed; lists every problem found.

    Attributes:
        source: the file the document came from, if any.
        problems: every problem found, each with its path.
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        found = tuple(problems)
        if not found:  # never an error that says nothing
            found = (Problem("", "the input could not be read, and no reason was recorded (please report this)"),)
        self.problems: Sequence[Problem] = found
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        count = len(self.problems)
        if count == 1:
            return f"{where}{self.problems[0]}"
        lines = [f"{where}{count} problems:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


class MonitoringError(PerftargetError, ValueError):
    """In-year monitoring (绩效运行监控) cannot answer for this input.

    Raised for a date outside the fiscal year, negative spending, an amount that is
    not money, or progress given for an indicator the project does not have. Problems
    that still leave a meaningful answer (spending above the budget, payments dated
    outside the year) are reported as findings instead.

    .. versionadded:: 0.1.0
    """


class EvaluationError(PerftargetError, ValueError):
    """Actual values cannot be scored against their targets; lists every problem found.

    Raised by :func:`perftarget.evaluate` in strict mode (an unknown indicator, a missing
    actual, a unit of another dimension, a number for a qualitative target, an explicit
    score outside its band, a negative amount spent...). Each problem carries the path of
    the indicator (``goals[0].indicators[3]``) or of the input (``actuals['某指标']``, ``spent``).

    Attributes:
        problems: every problem found, each with its path.
        subject: what was being evaluated (``project 13063722P0041681003``), if known.

    .. versionadded:: 0.1.0
    """

    def __init__(self, problems: Iterable[Problem], *, subject: str | None = None) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        self.subject = subject
        where = f"{subject}: " if subject else ""
        if len(self.problems) == 1:
            message = f"{where}{self.problems[0]}"
        else:
            lines = [f"{where}{len(self.problems)} problems:"]
            lines.extend(f"  {problem}" for problem in self.problems)
            message = "\n".join(lines)
        super().__init__(message)


class WorkbookError(DocumentError):
    """A spreadsheet could not be read or written; lists every problem with its sheet and cell.

    Each problem's location reads ``sheet!A12`` (the sheet's title and the cell), or the
    sheet's title alone when a whole part of the table is missing. A :class:`DocumentError`,
    so code that loads documents from any format catches it the same way.

    .. versionadded:: 0.1.0
    """


class MissingDependencyError(PerftargetError, ImportError):
    """An optional dependency is not installed; the message says which extra to install.

    Attributes:
        package: the missing import (``openpyxl``).
        extra: the perftarget extra that installs it (``excel``).

    .. versionadded:: 0.1.0
    """

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        message = f'{feature} needs {package}, which is not installed: pip install "perftarget[{extra}]"'
        super().__init__(message, name=package)

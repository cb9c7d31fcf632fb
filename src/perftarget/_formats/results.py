"""The result tables of review, evaluation and monitoring: one declared schema per kind of row.

Every writer of results uses these: the batch (:mod:`perftarget.batch`, CSV and Parquet), the
column kernels (:mod:`perftarget.columnar`) and the command line. A schema is a mapping of
column name to kind: ``"str"`` (text; amounts, scores and rates as exact decimal text),
``"int"`` or ``"bool"``; :func:`result_schema` gives it as Arrow types, :func:`result_ddl` as
a Spark DDL string. A row that says why a record failed fills the columns it does not set with
the empty value of *their own* kind in *its own* schema (:func:`result_row`), so that every
row of a table fits its declared types.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal

from perftarget._judge.evaluate import ProjectEvaluation
from perftarget._values.numbers import format_number
from perftarget.exceptions import MissingDependencyError

__all__ = [
    "RESULT_KINDS",
    "Kind",
    "Operation",
    "Per",
    "evaluation_rows",
    "number_text",
    "result_columns",
    "result_ddl",
    "result_row",
    "result_schema",
]

Operation = Literal["check", "evaluate", "monitor"]
Per = Literal["table", "indicator"]
Kind = Literal["str", "int", "bool"]

RESULT_KINDS: Final[Mapping[tuple[str, str], Mapping[str, Kind]]] = {
    # review: one row per table (counts) or one per finding
    ("check", "table"): {
        "file": "str", "project_code": "str", "project_name": "str", "year": "int", "indicators": "int",
        "errors": "int", "warnings": "int", "infos": "int", "codes": "str", "error": "str",
    },
    ("check", "indicator"): {
        "file": "str", "project_code": "str", "project_name": "str", "path": "str", "code": "str",
        "severity": "str", "message": "str", "error": "str",
    },
    # evaluation (绩效自评): per table ``needs_explanation`` counts the indicators, per indicator it says so
    ("evaluate", "table"): {
        "file": "str", "project_code": "str", "project_name": "str", "year": "int", "total": "str",
        "grade": "str", "raw_total": "str", "weight_total": "str", "budget": "str", "spent": "str",
        "budget_execution_rate": "str", "budget_score": "str", "indicators": "int", "needs_explanation": "int",
        "problems": "int", "problem_messages": "str", "error": "str",
    },
    ("evaluate", "indicator"): {
        "file": "str", "project_code": "str", "project_name": "str", "path": "str", "level1": "str",
        "level2": "str", "indicator": "str", "target": "str", "actual": "str", "weight": "str", "score": "str",
        "rule": "str", "formula": "str", "reason": "str", "needs_explanation": "bool", "over_achieved": "bool",
        "error": "str",
    },
    # monitoring (绩效运行监控): one row per table or per indicator
    ("monitor", "table"): {
        "file": "str", "project_code": "str", "project_name": "str", "as_of": "str", "budget": "str",
        "spent": "str", "execution_rate": "str", "planned_share": "str", "time_progress": "str",
        "gap_to_plan": "str", "gap_to_time": "str", "ratio": "str", "status": "str", "projected_spent": "str",
        "findings": "str", "error": "str",
    },
    ("monitor", "indicator"): {
        "file": "str", "project_code": "str", "project_name": "str", "path": "str", "level1": "str",
        "level2": "str", "indicator": "str", "target": "str", "unit": "str", "value": "str", "forecast": "str",
        "ratio": "str", "likelihood": "str", "status": "str", "error": "str",
    },
}
"""Each result table's columns and their kinds, by (operation, per)."""

_EMPTY: Final[Mapping[str, object]] = {"str": "", "int": 0, "bool": False}
# the empty value of each column, per schema (keyed by the column names, which differ between schemas)
_FILL: Final[dict[tuple[str, ...], dict[str, object]]] = {
    tuple(kinds): {name: _EMPTY[kind] for name, kind in kinds.items()} for kinds in RESULT_KINDS.values()
}
_DDL_TYPES: Final = {"str": "string", "int": "long", "bool": "boolean"}


def _kinds(operation: str, per: str) -> Mapping[str, Kind]:
    kinds = RESULT_KINDS.get((operation, per))
    if kinds is None:
        msg = f"unknown operation {operation!r} or per {per!r}: expected check/evaluate/monitor and table/indicator"
        raise ValueError(msg)
    return kinds


def result_columns(operation: Operation, per: Per = "table") -> tuple[str, ...]:
    """The columns of the result table of ``operation``, one row per table or per indicator.

    For ``check``, ``per="indicator"`` gives one row per finding (its ``path`` says where).

    >>> result_columns("check", "indicator")[-4:]
    ('code', 'severity', 'message', 'error')

    .. versionadded:: 0.1.0
    """
    return tuple(_kinds(operation, per))


def result_ddl(operation: Operation, per: Per = "table") -> str:
    """The result schema as a Spark DDL string, for ``mapInArrow`` / ``mapInPandas``.

    >>> result_ddl("check")[:60]
    'file string, project_code string, project_name string, year '

    .. versionadded:: 0.1.0
    """
    return ", ".join(f"{name} {_DDL_TYPES[kind]}" for name, kind in _kinds(operation, per).items())


def result_schema(operation: Operation, per: Per = "table") -> Any:  # noqa: ANN401 - a pyarrow.Schema
    """The result schema as a :class:`pyarrow.Schema` (needs the ``parquet`` extra).

    .. versionadded:: 0.1.0
    """
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional extra
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("pyarrow", "parquet", "result_schema()") from None
    types = {"str": pa.string(), "int": pa.int64(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in _kinds(operation, per).items()])


def result_row(columns: Sequence[str], values: Mapping[str, object]) -> tuple[object, ...]:
    """A row of the result table whose columns are ``columns`` (those of :func:`result_columns`).

    The columns ``values`` does not set hold the empty value of their kind in that table
    (``""``, ``0`` or ``False``).

    >>> result_row(result_columns("evaluate"), {"file": "a.json", "error": "bad"})[-4:]
    (0, 0, '', 'bad')

    Raises:
        ValueError: ``columns`` are not the columns of a result table.
    """
    fill = _FILL.get(tuple(columns))
    if fill is None:
        msg = f"not the columns of a result table: {', '.join(columns)}"
        raise ValueError(msg)
    return tuple(values.get(name, empty) for name, empty in fill.items())


def number_text(value: Decimal | None) -> str:
    """A figure of a result row: exact decimal text, empty when there is none."""
    return "" if value is None else format_number(value)


def evaluation_rows(
    result: ProjectEvaluation,
    base: Mapping[str, object],
    per: str,
    text: Callable[[Decimal | None], str] = number_text,
) -> list[dict[str, object]]:
    """The result rows of one evaluation, each a mapping of column to value; ``text`` writes the figures."""
    if per == "indicator":
        return [
            {
                **base, "path": item.path, "level1": item.level1, "level2": item.level2, "indicator": item.name,
                "target": item.target, "actual": item.actual, "weight": text(item.weight), "score": text(item.score),
                "rule": item.rule, "formula": item.formula, "reason": item.reason,
                "needs_explanation": item.needs_explanation, "over_achieved": item.over_achieved,
            }
            for item in result.items
        ]
    return [{
        **base, "total": text(result.total), "grade": result.grade.value, "raw_total": text(result.raw_total),
        "weight_total": text(result.weight_total), "budget": text(result.budget), "spent": text(result.spent),
        "budget_execution_rate": text(result.budget_execution_rate), "budget_score": text(result.budget_score),
        "indicators": len(result.items), "needs_explanation": len(result.needs_explanation),
        "problems": len(result.problems), "problem_messages": "; ".join(str(p) for p in result.problems),
    }]

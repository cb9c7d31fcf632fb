"""Review a target table the way a finance bureau does (审核): rules in, findings out.

This module holds the rule types and the engine; the built-in rules and the default
:class:`RuleSet` are assembled above it, in :mod:`perftarget.rules`, which imports this
module and is never imported by it.

The engine (:meth:`RuleSet.review`) walks a :class:`~perftarget.Document` (or one table)
once, runs every selected :class:`Rule` on the objects of its :class:`Scope`, and collects
every :class:`Finding` at once (nothing stops at the first problem). Each finding has a
stable code, a :class:`Severity`, the path of the offending field, a message in Chinese
and English, and help on how to fix it.

Which rules run is chosen like a linter's: ``select``/``ignore`` take codes or
prefixes, per call or from a ``[tool.perftarget]`` table (:func:`load_config`);
a table can switch a rule off for one indicator or project with a reason
(:class:`~perftarget.Suppression`). Custom rules are :class:`Rule` values in a
:class:`RuleSet` of your own (``DEFAULT_RULES.with_rules(my_rule)``): a value passed to
the call, never a change to the process.

A :class:`Profile` leaves out the rules that do not fit one published form of table (a
self-evaluation table prints no 指标值确定依据): a set carries its profiles, and the call
takes the one the document's tables name in their ``form`` unless it is given one.
"""

from __future__ import annotations

import enum
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal, TypeVar, overload

import attrs

from perftarget._codec.build import builder
from perftarget._codec.convert import SCHEMA_VERSION, _parse_text, from_dict
from perftarget._files import read_text_file
from perftarget._judge.evaluate import ScoringPolicy
from perftarget._model.targets import DepartmentTargets, Document, Goal, Indicator, ProjectTargets, Suppression
from perftarget._values import toml as _toml
from perftarget._values.frozen import FrozenMap
from perftarget._values.numbers import format_number, round_half_up
from perftarget.exceptions import DocumentError, InvalidValueError, Problem

__all__ = [
    "ExampleKind",
    "Finding",
    "Findings",
    "Profile",
    "ReviewConfig",
    "Rule",
    "RuleContext",
    "RuleExample",
    "RuleSet",
    "Scope",
    "Severity",
    "Violation",
    "load_config",
]

DEFAULT_SCORING_POLICY: Final = "national-2020"
UNUSED_SUPPRESSION_CODE: Final = "PT504"
_CODE: Final = re.compile(r"\A[A-Z]{1,8}[0-9]{1,4}\Z")
_SELECTOR: Final = re.compile(r"\A(ALL|[A-Z]{1,8}[0-9]{0,4})\Z")
_PROFILE_NAME: Final = re.compile(r"\A[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
AUTO_PROFILE: Final = "auto"


class Severity(enum.Enum):
    """How serious a finding is: ``error`` (fix before approval), ``warning``, ``info``.

    .. versionadded:: 0.1.0
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """The Chinese label (错误 / 警告 / 提示)."""
        return _SEVERITY_ZH[self]

    @classmethod
    def of(cls, value: Severity | str) -> Severity:
        """The severity named by ``value`` (``"error"``, ``"WARNING"``, ``"提示"``...).

        Raises:
            InvalidValueError: no severity has that name.
        """
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            text = value.strip().lower()
            for member in cls:
                if text in (member.value, member.label):
                    return member
        choices = ", ".join(m.value for m in cls)
        raise InvalidValueError(f"expected a severity ({choices}), got {value!r}", field="severity", value=value)


_SEVERITY_ZH: Final = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


class Scope(enum.Enum):
    """What a rule looks at: each indicator, goal, project table, department part, or the whole document.

    .. versionadded:: 0.1.0
    """

    DOCUMENT = "document"
    DEPARTMENT = "department"
    PROJECT = "project"
    GOAL = "goal"
    INDICATOR = "indicator"


@attrs.frozen(kw_only=True)
class Finding:
    """One problem found by :func:`review`.

    Attributes:
        code: the rule's stable code (``PT302``); the hundreds give the group: 1xx
            completeness, 2xx structure, 3xx target quality, 4xx money and plan,
            5xx consistency.
        severity: error, warning or info (after any configured override).
        path: where, relative to what was reviewed
            (``projects[0].goals[0].indicators[3].target``).
        message: what is wrong, in Chinese.
        message_en: the same in English.
        help: how to fix it, in English (the rule's :attr:`Rule.help`).
        help_zh: how to fix it, in Chinese (the rule's :attr:`Rule.help_zh`; the English
            help when the rule has no Chinese one). Chinese output shows ``message`` and
            ``help_zh``, English output ``message_en`` and ``help``.
        suppression: the table's :class:`~perftarget.Suppression` that switched this
            finding off (only seen with ``include_suppressed=True``).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 ``help_zh``.
    """

    code: str
    severity: Severity
    path: str
    message: str
    message_en: str
    help: str = ""
    help_zh: str = ""
    suppression: Suppression | None = None

    @property
    def suppressed(self) -> bool:
        """Whether the table suppresses this finding (with a reason)."""
        return self.suppression is not None

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        mark = " (suppressed)" if self.suppression is not None else ""
        return f"{where}{self.code} [{self.severity.value}] {self.message}{mark}"


def _to_findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    if isinstance(value, (str, bytes, Finding)) or not isinstance(value, Iterable):
        msg = f"findings: expected Finding values, got {value!r}"
        raise InvalidValueError(msg, field="findings", value=value)
    items = tuple(value)
    for item in items:
        if not isinstance(item, Finding):
            msg = f"findings: expected Finding values, got {type(item).__name__}"
            raise InvalidValueError(msg, field="findings", value=item)
    return items


@attrs.frozen(eq=False)
class Findings(Sequence[Finding]):
    """The findings of a :func:`review`: an immutable sequence of :class:`Finding`, in review order.

    It is used as the list it replaces: ``len()``, iteration, ``findings[0]``, slices (a
    :class:`Findings` again), ``in``, ``bool()`` (false when nothing was found), ``sorted()``
    and ``list()``. It also gives the views an analyst asks for first:

    >>> import perftarget
    >>> findings = perftarget.review(perftarget.load("examples/petition-bureau.toml"))
    >>> findings.ok, len(findings.errors), len(findings.warnings), len(findings.infos)
    (True, 0, 6, 5)
    >>> findings.warnings.codes
    ('PT501', 'PT109', 'PT302', 'PT305', 'PT305', 'PT306')

    Equality: a :class:`Findings` equals another with the same findings in the same order,
    and also a ``list`` or ``tuple`` of them, so ``review(document) == []`` says that
    nothing was found, as it did when :func:`review` returned a list. A subclass of
    ``tuple`` could not compare equal to a list (``() == []`` is false), and so would
    silently change every such test; comparing to a list as :class:`collections.UserList`
    does keeps it. The hash is that of the tuple of the findings, which it equals.

    >>> findings[:2] == list(findings)[:2], perftarget.review(perftarget.Document()) == []
    (True, True)

    Findings the tables suppress are left out by :func:`review`, unless it is asked for them
    (``include_suppressed=True``); then they are in the sequence, marked with their
    :class:`~perftarget.Suppression`, and :attr:`suppressed` holds them. :attr:`errors`,
    :attr:`warnings`, :attr:`infos` and :attr:`ok` count only the findings that are not
    suppressed, so that the four views share out the sequence between them.

    In a notebook, findings show as the 审核意见 table a bureau sends back (序号, 规则, 级别,
    位置, 问题, 修改建议, the counts in the caption); ``str()`` gives it as text and
    ``perftarget.frame.to_frame(findings)`` as a DataFrame, one row per finding.

    Raises:
        InvalidValueError: an item is not a :class:`Finding`.

    .. versionadded:: 0.1.0
    """

    items: tuple[Finding, ...] = attrs.field(default=(), converter=_to_findings)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __contains__(self, item: object) -> bool:
        return item in self.items

    def __bool__(self) -> bool:
        return bool(self.items)

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> Findings: ...
    def __getitem__(self, index: int | slice) -> Finding | Findings:
        """The finding at ``index``, or the findings of a slice as a :class:`Findings`."""
        if isinstance(index, slice):
            return _findings(self.items[index])
        return self.items[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings):
            return self.items == other.items
        if isinstance(other, tuple):
            return self.items == other
        if isinstance(other, list):
            return list(self.items) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.items)

    def _where(self, severity: Severity) -> Findings:
        return _findings(tuple(f for f in self.items if f.severity is severity and f.suppression is None))

    @property
    def errors(self) -> Findings:
        """The errors (fix before approval), suppressed ones left out."""
        return self._where(Severity.ERROR)

    @property
    def warnings(self) -> Findings:
        """The warnings, suppressed ones left out."""
        return self._where(Severity.WARNING)

    @property
    def infos(self) -> Findings:
        """The findings of severity info, suppressed ones left out."""
        return self._where(Severity.INFO)

    @property
    def suppressed(self) -> Findings:
        """The findings a table suppresses (only there with ``review(..., include_suppressed=True)``)."""
        return _findings(tuple(f for f in self.items if f.suppression is not None))

    @property
    def ok(self) -> bool:
        """Whether there is no error (suppressed ones aside): the table can go on to approval."""
        return not any(f.severity is Severity.ERROR and f.suppression is None for f in self.items)

    @property
    def codes(self) -> tuple[str, ...]:
        """The code of every finding, in order (repeated when a rule finds several problems)."""
        return tuple(f.code for f in self.items)


def _findings(items: tuple[Finding, ...]) -> Findings:
    """A :class:`Findings` of ``items``, known to be findings (no check: the engine's own)."""
    made = object.__new__(Findings)
    object.__setattr__(made, "items", items)
    return made


@attrs.frozen
class Violation:
    """What a rule's check yields: the field at fault and the values for the message.

    ``field`` is relative to the object the rule looked at (``"target"``,
    ``"budget.fiscal"``, ``"goals[0].indicators[2].level1"``; empty for the object
    itself). ``values`` fill the ``{placeholders}`` of the rule's message templates.

    .. versionadded:: 0.1.0
    """

    field: str = ""
    values: Mapping[str, object] = attrs.field(factory=dict)


def _join(base: str, field: str) -> str:
    if not field:
        return base
    if not base:
        return field
    if field.startswith("["):
        return base + field
    return f"{base}.{field}"


@attrs.frozen(kw_only=True)
class RuleContext:
    """What a rule's check is given: the object in scope, where it sits, and the configuration.

    ``document`` is always a :class:`~perftarget.Document` (a table reviewed on its own
    is wrapped in one); ``project`` or ``department`` is the table the object belongs
    to (``None`` for document rules); ``goal`` and ``indicator`` are set for goal and
    indicator rules. ``path`` is the path of the object in scope. ``root`` says what was
    reviewed (a document, or a table on its own); rather than reading it, build paths with
    :meth:`project_path`, :attr:`department_path` and :meth:`path_of`.

    .. versionadded:: 0.1.0
    """

    document: Document
    config: ReviewConfig
    path: str = ""
    project: ProjectTargets | None = None
    department: DepartmentTargets | None = None
    goal: Goal | None = None
    indicator: Indicator | None = None
    root: Literal["document", "project", "department"] = "document"

    def violation(self, field: str = "", /, **values: object) -> Violation:
        """A :class:`Violation` of ``field`` (relative to :attr:`path`) with message values."""
        return Violation(field, values)

    def project_path(self, index: int) -> str:
        """The path of ``document.projects[index]`` relative to what is reviewed."""
        return "" if self.root == "project" else f"projects[{index}]"

    @property
    def department_path(self) -> str:
        """The path of ``document.department`` relative to what is reviewed."""
        return "" if self.root == "department" else "department"

    def path_of(self, field: str) -> str:
        """``field`` (relative to this context) as a path relative to what is reviewed."""
        return _join(self.path, field)


ExampleKind = Literal["indicators", "project", "document"]

# The clean table every rule example is built on (see RuleExample).
BASE_PROJECT_TOML: Final = """\
code = "13063722P0041681003"
name = "常年驻京值班工作队值班费"
year = 2022
unit = {code = "230001", name = "博野县信访局本级"}
budget = {total = 10.00, fiscal = 10.00}
purpose = "保障常年驻京值班工作队的值班费用"

[schedule]
fiscal_year = 2022
checkpoints = [
    {date = 2022-03-31, percent = 25, label = "3月底"},
    {date = 2022-06-30, percent = 50, label = "6月底"},
    {date = 2022-09-30, percent = 75, label = "9月底"},
    {date = 2022-12-31, percent = 100, label = "12月底"},
]

[[goals]]
content = "保障驻京值班工作队全年在岗值班，做好来访群众劝返工作"

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "驻京值班天数"
description = "全年驻京值班的天数"
target = "≥250天"
basis = "工作要求"

[[goals.indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "群众来访劝返率"
description = "劝返的来访群众人数占来访人数的比例"
target = "≥95%"
basis = "历年劝返比例"

[[goals.indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "上访人员满意度"
description = "问卷中表示满意的上访人员占比"
target = "≥90%"
basis = "调查问卷"
"""


@attrs.frozen
class RuleExample:
    """A small document snippet that shows a rule failing or passing (TOML text).

    ``kind`` says how the snippet becomes a document, always on top of the clean base
    table :data:`BASE_PROJECT_TOML`:

    - ``"indicators"``: ``[[indicators]]`` rows appended to the base table's goal;
    - ``"project"``: keys of a project table that replace the base table's keys;
    - ``"document"``: a whole document; each project is completed from the base
      table's keys it does not set, a department gets the base unit and year.

    .. versionadded:: 0.1.0
    """

    toml: str = attrs.field(validator=attrs.validators.instance_of(str))
    kind: ExampleKind = attrs.field(
        default="indicators", validator=attrs.validators.in_(("indicators", "project", "document"))
    )

    def document(self) -> Document:
        """The example as a :class:`~perftarget.Document`.

        Raises:
            DocumentError: the snippet does not make a valid document.
        """
        return _example_document(self.toml, self.kind)


@lru_cache(maxsize=1)
def _base_project() -> dict[str, Any]:
    return _toml.loads(BASE_PROJECT_TOML)


def _example_document(text: str, kind: ExampleKind) -> Document:
    snippet = _toml.loads(text)
    base = _base_project()
    data: dict[str, Any]
    if kind == "indicators":
        project = dict(base)
        goal = dict(base["goals"][0])
        goal["indicators"] = [*goal["indicators"], *snippet.get("indicators", [])]
        project["goals"] = [goal, *base["goals"][1:]]
        data = {"projects": [project]}
    elif kind == "project":
        data = {"projects": [{**base, **snippet}]}
    else:
        data = dict(snippet)
        data["projects"] = [{**base, **project} for project in snippet.get("projects", [])]
        if "department" in snippet:
            data["department"] = {"unit": base["unit"], "year": base["year"], **snippet["department"]}
    data.setdefault("schema_version", SCHEMA_VERSION)
    return from_dict(data, Document, source="example")


def _to_severity(value: Severity | str) -> Severity:
    return Severity.of(value)


def _check_code(_instance: object, _attribute: object, code: str) -> None:
    if not isinstance(code, str) or not _CODE.match(code):
        msg = f"'code' must be capital letters then digits, such as PT301 or BY101 (got {code!r})"
        raise InvalidValueError(msg, field="code", value=code)


def _check_object_only(instance: Rule, _attribute: object, value: bool) -> None:
    if not isinstance(value, bool):
        msg = f"'object_only' must be True or False (got {value!r})"
        raise InvalidValueError(msg, field="object_only", value=value)
    if value and instance.scope not in _FIELDS:
        msg = (
            f"rule {instance.code}: only a project, goal or indicator rule can be object_only "
            f"(scope {instance.scope.value})"
        )
        raise InvalidValueError(msg, field="object_only", value=value)


_FIELDS: Final = {
    Scope.PROJECT: frozenset(attrs.fields_dict(ProjectTargets)),
    Scope.GOAL: frozenset(attrs.fields_dict(Goal)),
    Scope.INDICATOR: frozenset(attrs.fields_dict(Indicator)),
}


def _to_reads(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _check_reads(instance: Rule, _attribute: object, value: tuple[str, ...]) -> None:
    if not value:
        return
    if not instance.object_only:
        msg = f"rule {instance.code}: 'reads' narrows an object_only declaration; this rule is not object_only"
        raise InvalidValueError(msg, field="reads", value=value)
    unknown = [name for name in value if name not in _FIELDS[instance.scope]]
    if unknown or len(set(value)) != len(value):
        msg = f"rule {instance.code}: 'reads' must name distinct fields of the {instance.scope.value} (got {value!r})"
        raise InvalidValueError(msg, field="reads", value=value)


@attrs.frozen(kw_only=True)
class Rule:
    """A review rule: data plus a check function.

    ``check(context)`` receives a :class:`RuleContext` for each object of ``scope`` and
    yields a :class:`Violation` per problem; the engine turns each into a
    :class:`Finding` with this rule's code, severity (unless configured otherwise),
    the violation's path and the messages formatted with the violation's values
    (``str.format`` placeholders such as ``{name}``). ``fail_example`` and
    ``pass_example`` document the rule (and are tested for built-in rules).

    A rule speaks both languages: ``title``, ``message_en`` and ``help`` in English,
    ``title_zh``, ``message`` and ``help_zh`` in Chinese. Chinese output (``perftarget check
    --lang zh``, reports and forms in ``zh``, the rule pages) shows the Chinese texts, English
    output the English ones. ``title_zh`` and ``help_zh`` are optional for a rule of your own:
    left empty, Chinese output falls back to the English title and help (:meth:`title_in`,
    :meth:`help_in`; a finding's ``help_zh`` holds the text chosen). Every built-in rule has both.

    ``object_only=True`` (project, goal and indicator rules) declares that what the check yields
    depends on nothing but the object in scope (``ctx.project``, ``ctx.goal`` or ``ctx.indicator``)
    and on whether it sits in a project table (``ctx.project is None`` or not): the check reads no
    other field of the context, no other object of the table or document, no configuration
    and no path. The engine then checks each object once per review call, however many
    places of the document hold it, and reuses its violations for the other places.
    ``reads`` narrows the declaration to the object's fields the check reads (``("name",
    "target")``, a table's ``("budget",)``; empty: any of them): objects that hold the same values
    in those fields (the same text, or the very same value object, such as a shared
    :class:`~perftarget.Threshold` or :class:`~perftarget.Budget`) are then checked once between them.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 ``object_only`` and ``reads``.
    .. versionchanged:: 0.1.0 ``title_zh`` and ``help_zh``.
    """

    code: str = attrs.field(validator=_check_code)
    severity: Severity = attrs.field(converter=_to_severity)
    scope: Scope = attrs.field(converter=Scope)
    title: str = attrs.field(validator=attrs.validators.instance_of(str))
    message: str = attrs.field(validator=attrs.validators.instance_of(str))
    message_en: str = attrs.field(validator=attrs.validators.instance_of(str))
    help: str = attrs.field(validator=attrs.validators.instance_of(str))
    title_zh: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    help_zh: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    check: Callable[[RuleContext], Iterable[Violation]] = attrs.field(
        validator=attrs.validators.is_callable(), eq=False
    )
    fail_example: RuleExample | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(RuleExample))
    )
    pass_example: RuleExample | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(RuleExample))
    )
    object_only: bool = attrs.field(default=False, validator=_check_object_only)
    reads: tuple[str, ...] = attrs.field(default=(), converter=_to_reads, validator=_check_reads)

    def title_in(self, lang: Literal["zh", "en"]) -> str:
        """The title in ``lang``: :attr:`title_zh` (else :attr:`title`) for ``"zh"``, :attr:`title` for ``"en"``."""
        return (self.title_zh or self.title) if lang == "zh" else self.title

    def help_in(self, lang: Literal["zh", "en"]) -> str:
        """The help in ``lang``: :attr:`help_zh` (else :attr:`help`) for ``"zh"``, :attr:`help` for ``"en"``."""
        return (self.help_zh or self.help) if lang == "zh" else self.help

    def _finding(self, severity: Severity, path: str, values: Mapping[str, object]) -> Finding:
        message, message_en = self._messages(path, values)
        return Finding(
            code=self.code,
            severity=severity,
            path=path,
            message=message,
            message_en=message_en,
            help=self.help,
            help_zh=self.help_in("zh"),
        )

    def _messages(self, path: str, values: Mapping[str, object]) -> tuple[str, str]:
        """The Chinese and English messages filled with ``values`` (``path`` names the place in an error)."""
        try:
            return self.message.format_map(values), self.message_en.format_map(values)
        except (KeyError, IndexError, ValueError) as exc:
            msg = f"rule {self.code}: cannot fill its message at {path or 'the top'} ({exc!r} missing or malformed)"
            raise InvalidValueError(msg, field="message", value=self.message) from None


def _to_selectors(value: object, option: str = "select") -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable):
        raise InvalidValueError(f"{option}: expected rule codes or prefixes, got {value!r}", field=option, value=value)
    result = []
    for item in value:
        if not isinstance(item, str) or not _SELECTOR.match(item.strip().upper()):
            msg = f"{option}: expected a rule code or prefix such as PT3 or PT301 (got {item!r})"
            raise InvalidValueError(msg, field=option, value=item)
        result.append(item.strip().upper())
    return tuple(result)


def _to_ignore(value: object) -> tuple[str, ...]:
    return _to_selectors(value, "ignore")


def _to_optional_selectors(value: object) -> tuple[str, ...] | None:
    return None if value is None else _to_selectors(value)


def _to_profile_name(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _PROFILE_NAME.match(value.strip()):
        msg = f"profile: expected a profile name such as self-evaluation (got {value!r})"
        raise InvalidValueError(msg, field="profile", value=value)
    name = value.strip()
    return None if name == AUTO_PROFILE else name


def _to_severities(value: object) -> FrozenMap[str, Severity]:
    if not isinstance(value, Mapping):
        raise InvalidValueError(f"expected a table of code = severity, got {value!r}", field="severity", value=value)
    result: dict[str, Severity] = {}
    for code, severity in value.items():
        (selector,) = _to_selectors((code,), "severity")
        result[selector] = Severity.of(severity)
    return FrozenMap(result)


@attrs.frozen(kw_only=True)
class ReviewConfig:
    """Which rules run and how severe they are, as read from ``[tool.perftarget]``.

    Attributes:
        select: codes or prefixes of the rules to run (``None``: all; ``"ALL"`` too).
        ignore: codes or prefixes of rules not to run. Between ``select`` and
            ``ignore`` the longer (more specific) match wins; on a tie, ``ignore``.
        severity: per code or prefix, the severity to report instead of the rule's own
            (the longest matching prefix wins).
        scoring_policy: the name of the scoring policy the weight rules check against.
        profile: the name of the :class:`Profile` to review with, whatever the tables' form
            (``None`` or ``"auto"``: the one the tables' ``form`` names).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 ``profile``.
    """

    select: tuple[str, ...] | None = attrs.field(default=None, converter=_to_optional_selectors)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_to_ignore)
    severity: Mapping[str, Severity] = attrs.field(factory=FrozenMap, converter=_to_severities)
    scoring_policy: str = attrs.field(default=DEFAULT_SCORING_POLICY, validator=attrs.validators.instance_of(str))
    profile: str | None = attrs.field(default=None, converter=_to_profile_name)


_CONFIG_KEYS: Final = ("ignore", "profile", "scoring-policy", "select", "severity")


def _config_value(key: str, value: object) -> object:
    if key == "scoring-policy":
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError('expected a policy name such as "national-2020"', value=value)
        ScoringPolicy.preset(value.strip())
        return value.strip()
    if key == "profile":
        if not isinstance(value, str):
            raise InvalidValueError('expected a profile name such as "self-evaluation"', value=value)
        return _to_profile_name(value)
    if key == "severity":
        if not isinstance(value, Mapping):
            raise InvalidValueError('expected a table such as {PT302 = "error"}', value=value)
        return _to_severities(value)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidValueError('expected a list of rule codes or prefixes such as ["PT3"]', value=value)
    return _to_selectors(value, key)


def load_config(path: str | os.PathLike[str]) -> ReviewConfig:
    """Read the review configuration from a ``pyproject.toml`` or a ``perftarget.toml``.

    In ``pyproject.toml`` the table is ``[tool.perftarget]`` (absent: the defaults); in
    any other file, the top level (or a ``[tool.perftarget]`` table if the file has
    one). Keys: ``select`` and ``ignore`` (lists of codes or prefixes), ``severity``
    (a table of code = ``"error"``/``"warning"``/``"info"``), ``scoring-policy``
    (a policy name) and ``profile`` (a :class:`Profile` name, checked when the review
    runs). Example::

        [tool.perftarget]
        select = ["PT"]
        ignore = ["PT110", "PT4"]
        severity = {PT302 = "error"}

    Raises:
        DocumentError: the file cannot be read, is not TOML, or has an unknown key or
            a bad value; every problem is listed with its key.

    .. versionadded:: 0.1.0
    """
    file = Path(path)
    data = _parse_text(read_text_file(file), "toml", source=str(file))
    assert isinstance(data, dict)  # noqa: S101 - a TOML document is a table
    tool = data.get("tool")
    if file.name == "pyproject.toml" or isinstance(tool, Mapping):
        table = tool.get("perftarget", {}) if isinstance(tool, Mapping) else {}
        prefix = "tool.perftarget."
        if not isinstance(table, Mapping):
            raise DocumentError([Problem("tool.perftarget", "expected a table")], source=str(file))
    else:
        table, prefix = data, ""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{prefix}{key}"
        if key not in _CONFIG_KEYS:
            expected = ", ".join(_CONFIG_KEYS)
            problems.append(Problem(where, f"unknown key {key!r}; expected one of: {expected}"))
            continue
        try:
            values[key] = _config_value(key, value)
        except InvalidValueError as exc:
            problems.append(Problem(where, str(exc).removeprefix(f"{key}: ")))
    if problems:
        raise DocumentError(problems, source=str(file))
    return ReviewConfig(
        select=values.get("select"),
        ignore=values.get("ignore", ()),
        severity=values.get("severity", {}),
        scoring_policy=str(values.get("scoring-policy", DEFAULT_SCORING_POLICY)),
        profile=values.get("profile"),
    )


# --- selection -----------------------------------------------------------------------------


def _specificity(code: str, selectors: Iterable[str]) -> int:
    best = -1
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


def _key_function(names: tuple[str, ...], by_value: frozenset[str]) -> Callable[[object], tuple[object, ...]]:
    """``lambda obj: (obj.name, id(obj.target), ...)``: the fields ``names``, those of ``by_value`` by value.

    The others are taken by identity. Written as source and compiled, as attrs writes its methods:
    the memo reads it for every indicator, and one flat function is several times faster than
    composing attrgetters. ``names`` are checked field names (identifiers).
    """
    items = ", ".join(f"obj.{name}" if name in by_value else f"id(obj.{name})" for name in names)
    namespace: dict[str, Any] = {}
    exec(compile(f"def key(obj):\n    return ({items},)\n", "<perftarget review memo>", "exec"), namespace)  # noqa: S102
    return namespace["key"]  # type: ignore[no-any-return]


_SCOPED: Final = {Scope.PROJECT: ProjectTargets, Scope.GOAL: Goal, Scope.INDICATOR: Indicator}
# Field types whose values are compared by value in the memo; values of any other field by identity.
_BY_VALUE: Final = frozenset({"str", "str | None"})


class _Group:
    """Object-only rules that read the same fields, and how to read those fields of an object.

    ``key(obj)`` is what two objects must share for the rules to give them the same violations:
    the texts among the fields, and the identity of the other values (an enum member, the very
    same :class:`~perftarget.Threshold`...): comparing those by value would cost more than it saves
    (their hashes are computed in Python), and the values live as long as the reviewed document.
    """

    __slots__ = ("key", "number", "reads", "rules")

    def __init__(self, number: int, reads: tuple[str, ...], rules: tuple[tuple[Rule, Severity], ...]) -> None:
        self.number = number  # distinct among the groups of a plan
        self.reads = reads
        self.rules = rules
        self.key: Callable[[object], tuple[object, ...]] | None = None
        if reads:
            fields = attrs.fields_dict(_SCOPED[rules[0][0].scope])
            self.key = _key_function(reads, frozenset(name for name in reads if str(fields[name].type) in _BY_VALUE))


@attrs.frozen
class _Plan:
    """The selected rules of one call, grouped by scope, with their effective severity."""

    by_scope: Mapping[Scope, tuple[tuple[Rule, Severity], ...]]
    once: Mapping[Scope, tuple[_Group, ...]]  # the object_only rules of by_scope, by the fields they read
    each: Mapping[Scope, tuple[tuple[Rule, Severity], ...]]  # the others
    active: frozenset[str]
    known: frozenset[str]
    rules: tuple[Rule, ...]
    groups: int  # the number of groups in once


def _groups(items: Iterable[tuple[Rule, Severity]], numbers: Iterator[int]) -> tuple[_Group, ...]:
    """The object_only rules of ``items`` grouped by the fields they read, in order of first appearance."""
    groups: dict[tuple[str, ...], list[tuple[Rule, Severity]]] = {}
    for rule, severity in items:
        if rule.object_only:
            groups.setdefault(rule.reads, []).append((rule, severity))
    return tuple(_Group(next(numbers), reads, tuple(rules)) for reads, rules in groups.items())


_PLAN_CACHE: dict[tuple[object, ...], _Plan] = {}
_PLAN_CACHE_SIZE: Final = 64


def _plan(rules: tuple[Rule, ...], config: ReviewConfig, skip: frozenset[str] = frozenset()) -> _Plan:
    key = (
        tuple(map(id, rules)),
        config.select,
        config.ignore,
        tuple(sorted(config.severity.items(), key=lambda item: item[0])),
        skip,
    )
    cached = _PLAN_CACHE.get(key)
    if cached is not None and cached.rules == rules:
        return cached
    plan = _make_plan(rules, config, skip)
    if len(_PLAN_CACHE) >= _PLAN_CACHE_SIZE:
        _PLAN_CACHE.pop(next(iter(_PLAN_CACHE)))
    _PLAN_CACHE[key] = plan
    return plan


def _make_plan(rules: tuple[Rule, ...], config: ReviewConfig, skip: frozenset[str] = frozenset()) -> _Plan:
    """The plan of ``rules`` as configured, less the rules whose codes ``skip`` holds (a profile's).

    Selectors are checked against every rule of the set (a profile's rules are still known), and
    a suppression of a skipped rule is neither unknown nor unused (:data:`UNUSED_SUPPRESSION_CODE`).
    """
    codes = [rule.code for rule in rules]
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise InvalidValueError(f"two rules have the code {code}", field="rules", value=code)
        seen.add(code)
    for option, selectors in (
        ("select", config.select or ()),
        ("ignore", config.ignore),
        ("severity", tuple(config.severity)),
    ):
        for selector in selectors:
            if selector != "ALL" and not any(code.startswith(selector) for code in codes):
                msg = f"{option}: {selector!r} matches no rule code"
                raise InvalidValueError(msg, field=option, value=selector)
    select = ("ALL",) if config.select is None else config.select
    grouped: dict[Scope, list[tuple[Rule, Severity]]] = {scope: [] for scope in Scope}
    active: set[str] = set()
    for rule in [rule for rule in rules if rule.code not in skip]:
        chosen = _specificity(rule.code, select)
        if chosen < 0 or chosen <= _specificity(rule.code, config.ignore):
            continue
        severity = rule.severity
        best = -1
        for selector, override in config.severity.items():
            length = _specificity(rule.code, (selector,))
            if length > best:
                best, severity = length, override
        grouped[rule.scope].append((rule, severity))
        active.add(rule.code)
    numbers = itertools.count()
    once = {scope: _groups(items, numbers) for scope, items in grouped.items()}
    return _Plan(
        by_scope={scope: tuple(items) for scope, items in grouped.items()},
        once=once,
        each={scope: tuple(item for item in items if not item[0].object_only) for scope, items in grouped.items()},
        active=frozenset(active),
        known=frozenset(codes),
        rules=rules,
        groups=next(numbers),
    )


# --- the engine ----------------------------------------------------------------------------

_PATH_TOKEN: Final = re.compile(r"\[(\d+)\]|([^.\[\]]+)")

_PathKey = tuple[tuple[int, int, str], ...]


@lru_cache(maxsize=65536)
def _path_key(path: str) -> _PathKey:
    return tuple((0, int(index), "") if index else (1, 0, name) for index, name in _PATH_TOKEN.findall(path))


def _finding_key(finding: Finding) -> tuple[_PathKey, str]:
    return _path_key(finding.path), finding.code


def _prefixes(path: str) -> Iterator[str]:
    yield path
    end = len(path)
    while end > 0:
        end = max(path.rfind(".", 0, end), path.rfind("[", 0, end), 0)
        yield path[:end]


# A violation made ready for any place: (field, the sort key of the field and the code, code,
# severity, message, message_en, help, help_zh). The path of the finding is the place's path joined with
# the field, its sort key the place's joined with this one. Only texts and tuples of them, so that
# the garbage collector stops tracking the hits a review keeps.
_Hit = tuple[str, _PathKey, str, str, str, str, str, str]
_SEVERITIES: Final = {severity.value: severity for severity in Severity}
_GOALS_KEY: Final = ((1, 0, "goals"),)
_INDICATORS_TOKEN: Final = (1, 0, "indicators")


def _hit(rule: Rule, severity: Severity, violation: Violation, path: str) -> _Hit:
    field = violation.field
    message, message_en = rule._messages(_join(path, field), violation.values)  # noqa: SLF001
    code = rule.code
    help_en = rule.help
    key = (*_path_key(field), (-1, 0, code))
    return field, key, code, severity.value, message, message_en, help_en, rule.help_zh or help_en


def _sort_key(path: str, code: str) -> _PathKey:
    """The order of :func:`_finding_key` as one flat key: a path's tokens, then the code (before any deeper token)."""
    return (*_path_key(path), (-1, 0, code))


_BUILDING_CONTEXT: Final = builder(RuleContext)
_BUILDING_FINDING: Final = builder(Finding)
_new: Final = object.__new__


def _context(  # noqa: PLR0917 - every field of the context
    document: Document,
    config: ReviewConfig,
    path: str,
    project: ProjectTargets | None,
    department: DepartmentTargets | None,
    goal: Goal | None,
    indicator: Indicator | None,
    root: str,
) -> RuleContext:
    """``RuleContext(document=document, ...)``, made by plain assignment (its fields have no converter or check)."""
    context = _new(_BUILDING_CONTEXT)
    context.document = document
    context.config = config
    context.path = path
    context.project = project
    context.department = department
    context.goal = goal
    context.indicator = indicator
    context.root = root
    context.__class__ = RuleContext
    return context  # type: ignore[no-any-return]


class _Run:
    """One review call: runs the plan over the tree and collects findings with their sort keys.

    The violations of an ``object_only`` rule are computed once per project, goal or indicator
    object (by identity, separately for project and department tables) and reused wherever the
    document holds that object again; those of a rule that also declares the fields it
    ``reads``, once per distinct values of those fields (texts by value, other values by
    identity). Every other rule is called at each place. A place's context and path are made
    only when a rule is called there or a finding is made.
    """

    __slots__ = ("config", "document", "findings", "holders", "keys", "plan", "root", "shared")

    def __init__(self, plan: _Plan, config: ReviewConfig, document: Document, root: str) -> None:
        self.plan = plan
        self.config = config
        self.document = document
        self.root: Literal["document", "project", "department"] = root  # type: ignore[assignment]
        self.findings: list[Finding] = []
        self.keys: list[_PathKey] = []  # the sort key of each finding
        self.holders: dict[str, tuple[Suppression, ...]] = {}
        # per group, for department then project tables: what of an object the group reads (its identity, or
        # the texts among the fields and the identity of the other values, all held by the document) -> hits
        self.shared: list[tuple[dict[object, tuple[_Hit, ...]], dict[object, tuple[_Hit, ...]]]] = [
            ({}, {}) for _ in range(plan.groups)
        ]

    def add(self, hits: Iterable[_Hit], path: str, key: _PathKey) -> None:
        findings, keys = self.findings, self.keys
        for field, suffix, code, severity, message, message_en, help_, help_zh in hits:
            finding = _new(_BUILDING_FINDING)
            finding.code = code
            finding.severity = _SEVERITIES[severity]
            finding.path = _join(path, field)
            finding.message = message
            finding.message_en = message_en
            finding.help = help_
            finding.help_zh = help_zh
            finding.suppression = None
            finding.__class__ = Finding
            findings.append(finding)
            keys.append(key + suffix)

    def hits(self, rules: tuple[tuple[Rule, Severity], ...], context: RuleContext) -> list[_Hit]:
        path = context.path
        return [_hit(rule, severity, violation, path) for rule, severity in rules for violation in rule.check(context)]

    def object_hits(self, groups: tuple[_Group, ...], obj: object, context: RuleContext) -> list[_Hit]:
        """The hits of the object_only rules on ``obj`` (the object in scope of ``context``), memoised."""
        kind = context.project is not None
        shared = self.shared
        found: list[_Hit] = []
        for group in groups:
            memo = shared[group.number][kind]
            read = group.key
            key = id(obj) if read is None else read(obj)
            done = memo.get(key)
            if done is None:
                done = memo[key] = tuple(self.hits(group.rules, context))
            found.extend(done)
        return found

    def run(self, rules: tuple[tuple[Rule, Severity], ...], context: RuleContext) -> None:
        if rules:
            path = context.path
            self.add(self.hits(rules, context), path, _path_key(path))

    def walk(self) -> None:
        document, config, root = self.document, self.config, self.root
        plan = self.plan
        by_scope = plan.by_scope
        self.run(by_scope[Scope.DOCUMENT], _context(document, config, "", None, None, None, None, root))
        department = document.department
        if department is not None:
            path = "" if root == "department" else "department"
            if by_scope[Scope.DEPARTMENT]:
                context = _context(document, config, path, None, department, None, None, root)
                self.run(by_scope[Scope.DEPARTMENT], context)
            self.walk_goals(department.goals, path, None, department)
        project_once, project_rules = plan.once[Scope.PROJECT], plan.each[Scope.PROJECT]
        add, hits, object_hits = self.add, self.hits, self.object_hits
        for index, project in enumerate(document.projects):
            path = "" if root == "project" else f"projects[{index}]"
            if project.suppressions:
                self.holders[path] = project.suppressions
            if project_once or project_rules:
                context = _context(document, config, path, project, None, None, None, root)
                found = object_hits(project_once, project, context)
                if project_rules:
                    found += hits(project_rules, context)
                if found:
                    add(found, path, _path_key(path))
            self.walk_goals(project.goals, path, project, None)

    def walk_goals(  # noqa: C901, PLR0912 - one loop, kept flat for speed
        self,
        goals: tuple[Goal, ...],
        table_path: str,
        project: ProjectTargets | None,
        department: DepartmentTargets | None,
    ) -> None:
        document, config, root = self.document, self.config, self.root
        plan = self.plan
        goal_once, goal_rules = plan.once[Scope.GOAL], plan.each[Scope.GOAL]
        indicator_once, indicator_rules = plan.once[Scope.INDICATOR], plan.each[Scope.INDICATOR]
        add, hits, object_hits, holders = self.add, self.hits, self.object_hits, self.holders
        kind = project is not None
        # the memo of each group for this kind of table, and how the group reads an object
        indicator_memos = [(self.shared[group.number][kind], group.key, group.rules) for group in indicator_once]
        goals_path = _join(table_path, "goals")
        goals_key = _path_key(table_path) + _GOALS_KEY
        for g, goal in enumerate(goals):
            goal_path = f"{goals_path}[{g}]"
            goal_key = (*goals_key, (0, g, ""))
            if goal_once or goal_rules:
                goal_context = _context(document, config, goal_path, project, department, goal, None, root)
                add(object_hits(goal_once, goal, goal_context), goal_path, goal_key)
                add(hits(goal_rules, goal_context), goal_path, goal_key)
            indicators = goal.indicators
            if not indicators:
                continue
            indicators_path = f"{goal_path}.indicators"
            for i, indicator in enumerate(indicators):
                path = None
                if indicator.suppressions:
                    path = f"{indicators_path}[{i}]"
                    holders[path] = indicator.suppressions
                context: RuleContext | None = None
                found: list[_Hit] = []
                for memo, read, rules in indicator_memos:
                    key = id(indicator) if read is None else read(indicator)
                    done = memo.get(key)
                    if done is None:
                        if context is None:
                            if path is None:
                                path = f"{indicators_path}[{i}]"
                            context = _context(document, config, path, project, department, goal, indicator, root)
                        done = memo[key] = tuple(hits(rules, context))
                    if done:
                        found += done
                if indicator_rules:
                    if context is None:
                        if path is None:
                            path = f"{indicators_path}[{i}]"
                        context = _context(document, config, path, project, department, goal, indicator, root)
                    for rule, severity in indicator_rules:
                        for violation in rule.check(context):
                            found.append(_hit(rule, severity, violation, context.path))
                if found:
                    add(found, path or f"{indicators_path}[{i}]", (*goal_key, _INDICATORS_TOKEN, (0, i, "")))
                if indicator.regional_targets:
                    self.walk_regions(f"{indicators_path}[{i}]", (project, department, goal), indicator)

    def walk_regions(
        self,
        path: str,
        place: tuple[ProjectTargets | None, DepartmentTargets | None, Goal],
        indicator: Indicator,
    ) -> None:
        """Each of an indicator's targets per region (福建 区域目标值) checked as a target.

        The indicator rules run on the indicator with that region's target in place of its own; what
        they find about the target is reported at ``regional_targets[j].target``. A region's target
        that is the indicator's own (the regions' common one) is checked there, once.
        """
        plan = self.plan
        rules = (*(rule for group in plan.once[Scope.INDICATOR] for rule in group.rules), *plan.each[Scope.INDICATOR])
        project, department, goal = place
        for j, regional in enumerate(indicator.regional_targets):
            if regional.target == indicator.target:
                continue
            region_path = f"{path}.regional_targets[{j}]"
            as_target = attrs.evolve(indicator, target=regional.target, regional_targets=())
            context = _context(self.document, self.config, region_path, project, department, goal, as_target, self.root)
            found = [hit for hit in self.hits(rules, context) if hit[0] == "target"]
            if found:
                self.add(found, region_path, _path_key(region_path))

    def suppress(self, *, include_suppressed: bool) -> tuple[list[Finding], list[_PathKey]]:
        holders = self.holders
        if not holders:
            return self.findings, self.keys
        used: set[tuple[str, int]] = set()
        kept: list[Finding] = []
        keys: list[_PathKey] = []
        for finding, key in zip(self.findings, self.keys, strict=True):
            match: Suppression | None = None
            for prefix in _prefixes(finding.path):
                suppressions = holders.get(prefix)
                if suppressions is None:
                    continue
                for k, suppression in enumerate(suppressions):
                    if finding.code.startswith(suppression.code.strip().upper()):
                        used.add((prefix, k))
                        match = match or suppression
            if match is None:
                kept.append(finding)
                keys.append(key)
            elif include_suppressed:
                kept.append(attrs.evolve(finding, suppression=match))
                keys.append(key)
        for finding in self.unused(used):
            kept.append(finding)
            keys.append(_sort_key(finding.path, finding.code))
        return kept, keys

    def unused(self, used: set[tuple[str, int]]) -> Iterator[Finding]:
        plan = self.plan
        if UNUSED_SUPPRESSION_CODE not in plan.active:
            return
        rule, severity = next((r, s) for r, s in plan.by_scope[Scope.DOCUMENT] if r.code == UNUSED_SUPPRESSION_CODE)
        for holder, suppressions in self.holders.items():
            for k, suppression in enumerate(suppressions):
                code = suppression.code.strip().upper()
                if (holder, k) in used:
                    continue
                path = _join(holder, f"suppressions[{k}]")
                if not any(known.startswith(code) for known in plan.known):
                    yield rule._finding(  # noqa: SLF001
                        severity,
                        path,
                        {
                            "code": suppression.code,
                            "why": "不是任何规则的代码",
                            "why_en": "is not the code of any rule",
                        },
                    )
                elif any(active.startswith(code) for active in plan.active):
                    yield rule._finding(  # noqa: SLF001
                        severity,
                        path,
                        {"code": suppression.code, "why": "没有可豁免的问题", "why_en": "matches no finding here"},
                    )


T = TypeVar("T")


def _distinct(
    value: object, cls: type[T], field: str, key: Callable[[T], str], twice: str, *, not_lists: tuple[type, ...] = ()
) -> tuple[T, ...]:
    """``value`` as a tuple of ``cls`` values with distinct keys (``twice`` says what two equal keys are)."""
    if isinstance(value, (*not_lists, cls)) or not isinstance(value, Iterable):
        raise InvalidValueError(f"{field}: expected {cls.__name__} values, got {value!r}", field=field, value=value)
    items = tuple(value)
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, cls):
            msg = f"{field}: expected {cls.__name__} values, got {type(item).__name__}"
            raise InvalidValueError(msg, field=field, value=item)
        if key(item) in seen:
            raise InvalidValueError(twice.format(key(item)), field=field, value=key(item))
        seen.add(key(item))
    return items


def _to_rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    if isinstance(value, RuleSet):
        return value.rules
    return _distinct(value, Rule, "rules", lambda rule: rule.code, "two rules have the code {}", not_lists=(str,))


def _check_profile_name(_instance: object, _attribute: object, name: str) -> None:
    if not isinstance(name, str) or not _PROFILE_NAME.match(name) or name == AUTO_PROFILE:
        msg = f"a profile's name is lowercase words joined by hyphens, such as self-evaluation (got {name!r})"
        raise InvalidValueError(msg, field="name", value=name)


def _to_skip(value: object) -> tuple[str, ...]:
    return _to_selectors(value, "skip")


@attrs.frozen(kw_only=True)
class Profile:
    """The rules that fit one published form of table: its name, and the rules it leaves out.

    A 项目支出绩效自评表 (self-evaluation table) prints no 指标值确定依据, no 绩效指标描述 and
    no 资金支出计划, so rules asking for them would report every row of every such table. A
    :class:`RuleSet` carries its profiles (:attr:`RuleSet.profiles`); a review takes the one
    named by the ``form`` of the document's project tables (:data:`perftarget.TABLE_FORMS`),
    or the one it is given (``review(doc, profile="self-evaluation")``).

    >>> mine = Profile(name="no-plan", title="Tables without a spending plan", skip=["PT404", "PT405", "PT406"])
    >>> mine.skip
    ('PT404', 'PT405', 'PT406')

    Attributes:
        name: how the profile is chosen: a table form (``self-evaluation``) or a name of your
            own, lowercase words joined by hyphens.
        title: what the profile is for, for a listing.
        skip: codes or prefixes of the rules that do not fit the form.
        help: why those rules do not fit.
        title_zh: the title in Chinese (optional: empty falls back to ``title``).
        help_zh: the help in Chinese (optional: empty falls back to ``help``).

    Raises:
        InvalidValueError: the name is not such words, or a selector is not a code or prefix.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 ``title_zh`` and ``help_zh``.
    """

    name: str = attrs.field(validator=_check_profile_name)
    title: str = attrs.field(validator=attrs.validators.instance_of(str))
    skip: tuple[str, ...] = attrs.field(default=(), converter=_to_skip)
    help: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    title_zh: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    help_zh: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def title_in(self, lang: Literal["zh", "en"]) -> str:
        """The title in ``lang`` (:attr:`title_zh`, else :attr:`title`, for ``"zh"``)."""
        return (self.title_zh or self.title) if lang == "zh" else self.title

    def help_in(self, lang: Literal["zh", "en"]) -> str:
        """The help in ``lang`` (:attr:`help_zh`, else :attr:`help`, for ``"zh"``)."""
        return (self.help_zh or self.help) if lang == "zh" else self.help

    def skipped(self, rules: Iterable[Rule]) -> frozenset[str]:
        """The codes of ``rules`` this profile leaves out."""
        if not self.skip:
            return frozenset()
        return frozenset(rule.code for rule in rules if _specificity(rule.code, self.skip) >= 0)


def _to_profiles(value: Iterable[Profile]) -> tuple[Profile, ...]:
    return _distinct(value, Profile, "profiles", lambda profile: profile.name, "two profiles are named {}")


# (profile, rules) by their identities -> the codes the profile skips (checked against the objects themselves)
_SKIP_CACHE: dict[tuple[int, int], tuple[Profile, tuple[Rule, ...], frozenset[str]]] = {}
_SKIP_CACHE_SIZE: Final = 64


def _skipped(profile: Profile, rules: tuple[Rule, ...]) -> frozenset[str]:
    key = (id(profile), id(rules))
    cached = _SKIP_CACHE.get(key)
    if cached is not None and cached[0] is profile and cached[1] is rules:
        return cached[2]
    codes = profile.skipped(rules)
    if len(_SKIP_CACHE) >= _SKIP_CACHE_SIZE:
        _SKIP_CACHE.pop(next(iter(_SKIP_CACHE)))
    _SKIP_CACHE[key] = (profile, rules, codes)
    return codes


@attrs.frozen
class RuleSet:
    """The rules a review runs: an immutable, ordered collection of :class:`Rule` values with distinct codes.

    ``perftarget.rules.DEFAULT_RULES`` holds the built-in rules; an application makes its own
    set from it and passes it to the call, so two applications in one process never see each
    other's rules:

    >>> from perftarget.rules import DEFAULT_RULES
    >>> mine = DEFAULT_RULES.without("PT4")
    >>> len(mine) < len(DEFAULT_RULES), "PT302" in mine, "PT401" in mine
    (True, True, False)

    A set is a value: :meth:`with_rules` and :meth:`without` return new sets, equal sets
    compare equal, and ``mine["PT302"]`` is the rule with that code.

    A set also carries its :class:`Profile` values (``profiles``), kept by :meth:`with_rules`
    and :meth:`without`: a review of tables of a given ``form`` runs the rules of the profile
    of that name (all of them when the set has none).

    Raises:
        InvalidValueError: an item is not a :class:`Rule`, two rules share a code, or two
            profiles a name.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 ``profiles``.
    """

    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_to_rules)
    profiles: tuple[Profile, ...] = attrs.field(default=(), converter=_to_profiles, kw_only=True)

    def with_rules(self, *rules: Rule) -> RuleSet:
        """This set with ``rules`` added after its own.

        Raises:
            InvalidValueError: a rule's code is already in the set (use :meth:`without` first to replace it).
        """
        return RuleSet((*self.rules, *rules), profiles=self.profiles)

    def with_profiles(self, *profiles: Profile) -> RuleSet:
        """This set with ``profiles`` added, each replacing the set's profile of its name."""
        names = {profile.name for profile in profiles}
        return RuleSet(self.rules, profiles=(*(p for p in self.profiles if p.name not in names), *profiles))

    def profile(self, name: str) -> Profile:
        """The set's profile of this name.

        Raises:
            InvalidValueError: the set has no profile of that name.
        """
        for profile in self.profiles:
            if profile.name == name:
                return profile
        known = ", ".join(profile.name for profile in self.profiles) or "none"
        raise InvalidValueError(f"profile: no profile named {name!r} (known: {known})", field="profile", value=name)

    def _skip(self, profile: Profile | str | None, document: Document) -> frozenset[str]:
        """The codes the review leaves out: those of ``profile``, else of the tables' forms' profiles.

        Tables of several forms skip only the rules that every form's profile skips; a form
        this set has no profile for keeps every rule.
        """
        if isinstance(profile, Profile):
            return _skipped(profile, self.rules)
        name = _to_profile_name(profile)
        if name is not None:
            return _skipped(self.profile(name), self.rules)
        if not self.profiles or not document.projects:
            return frozenset()
        skip: frozenset[str] | None = None
        for form in {project.form for project in document.projects}:
            chosen = next((p for p in self.profiles if p.name == form), None)
            if chosen is None:
                return frozenset()
            codes = _skipped(chosen, self.rules)
            skip = codes if skip is None else skip & codes
        return skip or frozenset()

    def without(self, *selectors: str) -> RuleSet:
        """This set less the rules whose code starts with one of ``selectors`` (``"PT302"``, ``"PT4"``).

        Raises:
            InvalidValueError: a selector matches no rule of the set.
        """
        chosen = _to_selectors(selectors, "without")
        for selector in chosen:
            if selector != "ALL" and not any(rule.code.startswith(selector) for rule in self.rules):
                raise InvalidValueError(f"without: {selector!r} matches no rule code", field="without", value=selector)
        return RuleSet((rule for rule in self.rules if _specificity(rule.code, chosen) < 0), profiles=self.profiles)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the rules, in order."""
        return tuple(rule.code for rule in self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __contains__(self, code: object) -> bool:
        return any(rule.code == code for rule in self.rules)

    def __getitem__(self, code: str) -> Rule:
        """The rule with this code.

        Raises:
            KeyError: no rule of the set has it.
        """
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)

    def review(
        self,
        document_or_table: Document | ProjectTargets | DepartmentTargets,
        *,
        select: Iterable[str] | str | None = None,
        ignore: Iterable[str] | str | None = None,
        config: ReviewConfig | None = None,
        include_suppressed: bool = False,
        profile: Profile | str | None = None,
    ) -> Findings:
        """Review with this set's rules; :func:`perftarget.review` with ``rules=self``."""
        settings = config if config is not None else ReviewConfig()
        if select is not None or ignore is not None:
            settings = attrs.evolve(
                settings,
                select=settings.select if select is None else _to_selectors(select),
                ignore=settings.ignore if ignore is None else _to_ignore(ignore),
            )
        document: Document
        root: Literal["document", "project", "department"]
        if isinstance(document_or_table, Document):
            document, root = document_or_table, "document"
        elif isinstance(document_or_table, ProjectTargets):
            document, root = Document(projects=(document_or_table,)), "project"
        elif isinstance(document_or_table, DepartmentTargets):
            document, root = Document(department=document_or_table), "department"
        else:
            msg = (
                "review() takes a Document, ProjectTargets or DepartmentTargets, "
                f"not {type(document_or_table).__name__}"
            )
            raise TypeError(msg)
        skip = self._skip(settings.profile if profile is None else profile, document)
        run = _Run(_plan(self.rules, settings, skip), settings, document, root)
        return _findings(tuple(_sorted(run, include_suppressed=include_suppressed)[0]))


def _sorted(run: _Run, *, include_suppressed: bool = False) -> tuple[list[Finding], list[_PathKey]]:
    """The findings of ``run`` (walked here) in the order :func:`review` gives them, with their sort keys.

    A key is the tuple of the tokens of the finding's path (``(0, index, "")`` for ``[index]``, ``(1,
    0, name)`` for a name) with the code inserted: ``key[1][1]`` is ``p`` for a path ``projects[p]...``.
    """
    run.walk()
    findings, keys = run.suppress(include_suppressed=include_suppressed)
    order = sorted(range(len(findings)), key=keys.__getitem__)
    return [findings[k] for k in order], [keys[k] for k in order]


def format_decimal(value: Decimal) -> str:
    """A number for a message: at most two decimals, half up, no trailing zeros.

    >>> format_decimal(Decimal("83.3333")), format_decimal(Decimal("25.00")), format_decimal(Decimal("1E+3"))
    ('83.33', '25', '1000')
    """
    text = format_number(round_half_up(value, 2))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text

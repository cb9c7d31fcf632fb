"""Published table layouts as data: which headings and labels each province prints, and how a sheet's layout is told.

A :class:`Layout` is one published form (河北 项目绩效目标表, 湖南 整体绩效目标表 ...): for
each column *role* the headings that print it, for each label *role* the labels that name
a row, the roles a header must have, and the *marks* that tell it from its neighbours.
:data:`LAYOUTS` lists them in order; the readers accept the headings and labels of every
layout of a kind (:func:`column_roles`, :func:`label_roles`), and :func:`detect` says which
layout a sheet is in, or why none fits.

Adding a layout is adding an entry to :data:`LAYOUTS`::

    Layout(
        key="anhui-project",                       # unique, lower case, province-kind
        name="安徽 项目支出绩效目标表",               # as the form is titled
        kind="project",                            # project, department, evaluation or monitoring
        source="https://… (where the form was seen; also in tests/data/README.md)",
        columns={"name": ("三级指标",), "target": ("指标值", "年度指标值"), ...},
        labels={"name": ("项目名称",), ...},
        required=("name", "target"),               # column roles the header row must have
        marks=("项目编码",),                         # one must be a label, a heading or in the title
    )

Column roles of a target table (what each fills): ``level1``, ``level2``, ``name``,
``description``, ``target``, ``unit_text``, ``value_kind``, ``basis``, ``weight``,
``scoring_rule``, ``remarks`` (one per indicator row), ``regions`` (a heading over one target
column per region, the regions named in the row below it: 福建 区域目标值), and the table-wide ``unit_name``,
``project_name``, ``duties``, ``goal`` and ``measures`` (a cell, usually merged down the
rows, that holds one value for the whole table). A heading printed over two columns (merged)
may fill two roles: give the pair as ``"绩效指标": ("level2", "name")`` in ``spans``.

Label roles of a project table: ``code``, ``name``, ``budget``, ``plan``, ``goal``,
``heading``, ``department``, ``category``, ``nature``, ``grounds``, ``carryover``, ``costs``,
``measures``, ``implementer``, ``unit_name`` and ``unit_code`` (a label row naming the unit:
福建 ``部门(单位)名称 | … | 部门预算编码 | …``); of the department part: ``duties``, ``section``, ``goal``,
``heading``, ``measures``, ``unit_name``.

Above a table, a one-cell row holding one of ``titles`` is the title, a cell starting with one
of ``unit_labels`` and a colon names the unit, and cells matching ``notes_above`` (regular
expressions on the label key) are skipped; below the indicators, rows whose every cell matches
``notes_below`` (``注：…``, ``填报人：…``) are notes, not indicators. The defaults serve every
layout so far.

Headings and labels are compared as :func:`heading_key` gives them: without spaces,
asterisks (``*指标值``), numbering (``一、``) or a trailing note in brackets
(``指标值类型（定量/定性）``), full-width punctuation folded.

Template rows: a row whose 三级指标 is a bare ``指标N`` (``指标2``, ``指标 2：``) with
nothing else in the row but its levels (every other cell blank, 无 or filler) is a form's
unfilled template row; every reader drops it (:func:`is_template_name`). A table written by
perftarget keeps an indicator that looks like one through its perftarget block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from perftarget.excel._grid import _label_key
from perftarget.excel._layouts_provinces import PROVINCE_LAYOUTS

__all__ = [
    "LAYOUTS",
    "Detection",
    "Layout",
    "column_roles",
    "detect",
    "heading_key",
    "is_template_name",
    "label_roles",
    "labels_of",
    "note_row",
    "span_roles",
    "title_words",
    "unit_label",
]


def _frozen_map(value: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return {role: tuple(texts) for role, texts in value.items()}


@attrs.frozen
class Layout:
    """One published layout: its headings and labels by role, and what tells it apart."""

    key: str
    name: str
    kind: str
    source: str
    columns: Mapping[str, tuple[str, ...]] = attrs.field(converter=_frozen_map)
    labels: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen_map)
    required: tuple[str, ...] = ("name", "target")
    marks: tuple[str, ...] = ()
    spans: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen_map)
    titles: tuple[str, ...] = ("绩效目标", "目标表")
    unit_labels: tuple[str, ...] = (
        "单位名称", "填报单位", "预算单位", "部门(单位)名称", "部门(单位)", "部门名称", "部门", "编制单位", "申报单位"
    )
    notes_above: tuple[str, ...] = (r"(?:附件|附表|表)[0-9一二三四五六七八九十\-.]+", r"填报日期:.*")
    notes_below: tuple[str, ...] = (
        r"注[0-9一二三四五六七八九十]*[:.、].*",
        r"说明:.*",
        r"填[表报]说明.*",
        r"(?:填报人|联系人|联系电话|审核人|负责人)(?::.*)?",
    )

    def headings(self) -> dict[str, str]:
        """Heading key -> column role."""
        return {heading_key(text): role for role, texts in self.columns.items() for text in texts}


def heading_key(text: str) -> str:
    """A heading or label as compared (no spaces, asterisks, numbering or trailing note; punctuation folded)."""
    return _label_key(text)


_TEMPLATE_NAME: Final = re.compile(r"^指标\s*[0-9０-９]+\s*[:：]?$")


def is_template_name(name: str) -> bool:
    """Whether a 三级指标 as printed is a bare template name (``指标2``, ``指标 2：``)."""
    return bool(_TEMPLATE_NAME.match(name.strip()))


# --- the national (Hebei) core, which perftarget writes ---------------------------------------------

_CORE_COLUMNS: Final = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "三级指标名称"),
    "description": ("绩效指标描述", "指标描述", "指标解释", "指标说明"),
    "target": ("指标值", "年度指标值", "目标值", "绩效指标值"),
    "basis": ("指标值确定依据", "确定依据", "指标值设定依据"),
    "weight": ("分值", "权重", "指标分值", "指标权重"),
    "unit_text": ("计量单位", "度量单位"),
    "value_kind": ("指标值类型",),
    "scoring_rule": ("评(扣)分标准", "评分标准", "扣分标准"),
    "remarks": ("备注",),
    "last_year": ("上年度实际水平",),
}

_PROJECT_LABELS: Final = {
    "code": ("项目编码", "项目代码", "项目编号"),
    "name": ("项目名称",),
    "budget": ("预算规模及资金用途", "预算规模及用途", "资金规模及用途", "预算规模", "项目资金", "年度资金总额"),
    "plan": ("资金支出计划", "支出计划"),
    "goal": ("绩效目标", "年度绩效目标", "年度总体目标", "项目绩效目标", "总体绩效目标", "年度目标"),
    "heading": ("绩效指标", "年度绩效指标"),
    "department": ("主管部门", "主管部门及代码"),
    "implementer": ("实施单位", "项目实施单位"),
    "category": ("项目类别",),
    "nature": ("项目性质", "项目属性"),
    "grounds": ("立项依据", "项目立项依据"),
    "carryover": ("上年结转资金", "上年结转"),
    "costs": ("预算成本构成", "成本构成", "项目成本构成"),
    "measures": ("保障绩效目标实现措施", "保障措施", "工作保障措施"),
}

_DEPARTMENT_LABELS: Final = {
    "duties": ("总体绩效目标", "部门职责", "主要职责", "单位职责", "部门(单位)职责"),
    "section": ("分项绩效目标",),
    "goal": ("绩效目标", "年度绩效目标", "年度总体绩效目标", "年度总体目标"),
    "heading": ("绩效指标", "年度绩效指标"),
    "measures": ("工作保障措施", "保障措施"),
    "unit_name": ("部门(单位)名称", "部门名称", "单位名称"),
}

_HUNAN_COLUMNS: Final = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标",),
    "value_kind": ("指标值类型",),
    "target": ("指标值",),
    "unit_text": ("计量单位", "度量单位"),
    "description": ("指标解释",),
    "scoring_rule": ("评(扣)分标准",),
    "remarks": ("备注",),
}

_HEBEI_SOURCE: Final = (
    "博野县信访局 2022 部门预算绩效目标 (Hebei), /work/shared/seed/petition-bureau-targets.txt; "
    "the national 项目绩效目标表 core of 财预〔2015〕88号"
)
_HUNAN_SOURCE: Final = (
    "湖南 部门预算公开 整体/项目绩效目标表 (columns as in issue 17 and /work/shared/domain.md §7); "
    "an earlier Hunan form: https://renrendoc.com/paper/307484460.html (宁乡市 2021 项目绩效目标表)"
)
_HUBEI_SOURCE: Final = (
    "湖北 项目支出绩效目标表 (项目类别, 项目性质, 立项依据, 预算成本构成, 绩效标准, 当年预期实现值; issue 17); "
    "Hubei labels 主管部门/项目类别: https://m.777doc.com/doc-4336759.html"
)

LAYOUTS: Final[list[Layout]] = [
    Layout(
        key="hebei-project",
        name="河北 项目绩效目标表 (the national core; perftarget writes it)",
        kind="project",
        source=_HEBEI_SOURCE,
        columns=_CORE_COLUMNS,
        labels=_PROJECT_LABELS,
        marks=("项目编码", "项目代码", "项目编号"),
    ),
    Layout(
        key="hebei-department",
        name="河北 部门整体绩效目标 (perftarget writes it)",
        kind="department",
        source=_HEBEI_SOURCE,
        columns=_CORE_COLUMNS,
        labels=_DEPARTMENT_LABELS,
        marks=("部门整体绩效目标", "部门整体绩效目标表", "总体绩效目标", "工作保障措施"),
    ),
    Layout(
        key="hunan-project",
        name="湖南 项目绩效目标表",
        kind="project",
        source=_HUNAN_SOURCE,
        columns={**_HUNAN_COLUMNS, "project_name": ("项目名称",), "goal": ("年度绩效目标", "项目绩效目标")},
        labels=_PROJECT_LABELS,
        required=("name", "target", "value_kind", "scoring_rule"),
        marks=("项目",),
    ),
    Layout(
        key="hunan-department",
        name="湖南 整体绩效目标表",
        kind="department",
        source=_HUNAN_SOURCE,
        columns={
            **_HUNAN_COLUMNS,
            "unit_name": ("部门(单位)名称", "部门名称", "单位名称"),
            "duties": ("部门职责", "单位职责", "部门(单位)职责", "主要职责"),
            "goal": ("年度总体绩效目标", "整体绩效目标", "年度绩效目标"),
        },
        labels=_DEPARTMENT_LABELS,
        required=("name", "target", "value_kind", "scoring_rule"),
        marks=("整体", "部门职责", "单位职责", "部门(单位)职责"),
    ),
    Layout(
        key="hubei-project",
        name="湖北 项目支出绩效目标表",
        kind="project",
        source=_HUBEI_SOURCE,
        columns={
            "level1": ("一级指标",),
            "level2": ("二级指标", "指标类型", "指标类别"),
            "name": ("三级指标", "指标名称", "指标内容"),
            "description": ("绩效标准", "指标解释"),
            "target": ("当年预期实现值", "预期实现值", "年度预期实现值"),
            "measures": ("保障绩效目标实现措施", "保障措施"),
        },
        spans={"绩效指标": ("level2", "name")},
        labels=_PROJECT_LABELS,
        marks=("项目类别", "项目性质", "立项依据", "预算成本构成"),
    ),
    *(Layout(**entry) for entry in PROVINCE_LAYOUTS),  # type: ignore[arg-type] # plain data, checked by Layout
]
"""The published layouts, in the order they are tried; xls17 and others add entries here."""


def layouts(kind: str) -> list[Layout]:
    """The layouts of one kind (``project``, ``department``...), in order."""
    return [layout for layout in LAYOUTS if layout.kind == kind]


_CACHE: Final[dict[tuple[object, ...], dict[str, Any]]] = {}


def _cached(name: str, kinds: tuple[str, ...], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``build()``, once for the registry as it stands (an entry added later makes a new one)."""
    key = (name, kinds, *map(id, LAYOUTS))
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = build()
    return found


def column_roles(kinds: Iterable[str] = ("project", "department")) -> dict[str, str]:
    """Every heading of the layouts of these kinds -> its column role (the first layout's role wins)."""
    kinds = tuple(kinds)
    return _cached("columns", kinds, lambda: _column_roles(kinds))


def _column_roles(kinds: tuple[str, ...]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for layout in LAYOUTS:
        if layout.kind in kinds:
            for key, role in layout.headings().items():
                roles.setdefault(key, role)
    return roles


def span_roles(kinds: Iterable[str] = ("project", "department")) -> dict[str, tuple[str, ...]]:
    """Every merged heading that fills several roles -> the roles, left to right."""
    kinds = tuple(kinds)
    return _cached("spans", kinds, lambda: _span_roles(kinds))


def _span_roles(kinds: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    spans: dict[str, tuple[str, ...]] = {}
    for layout in LAYOUTS:
        if layout.kind in kinds:
            for text, roles in layout.spans.items():
                spans.setdefault(heading_key(text), roles)
    return spans


def title_words(kinds: Iterable[str] = ("project", "department")) -> tuple[str, ...]:
    """The words a one-cell title row above a table holds (``绩效目标``), over these kinds' layouts."""
    return tuple(dict.fromkeys(word for layout in LAYOUTS if layout.kind in kinds for word in layout.titles))


def unit_label(kinds: Iterable[str] = ("project", "department")) -> re.Pattern[str]:
    """A cell above the table naming the unit (``单位名称：…``, ``填报单位（盖章）：…``), as a label key."""
    kinds = tuple(kinds)

    def build() -> dict[str, Any]:
        labels = dict.fromkeys(
            heading_key(text) for layout in LAYOUTS if layout.kind in kinds for text in layout.unit_labels
        )
        return {"": re.compile(rf"^(?:{'|'.join(map(re.escape, labels))})(?:\(盖章\))?:")}

    return _cached("unit", kinds, build)[""]  # type: ignore[no-any-return]


def note_row(where: str, kinds: Iterable[str] = ("project", "department")) -> re.Pattern[str]:
    """A note cell ``above`` or ``below`` a table (``表3-1``, ``注：带*为必填项``), as a label key."""
    kinds = tuple(kinds)

    def build() -> dict[str, Any]:
        patterns = dict.fromkeys(
            pattern for layout in LAYOUTS if layout.kind in kinds for pattern in getattr(layout, f"notes_{where}")
        )
        return {"": re.compile(f"^(?:{'|'.join(patterns)})$")}

    return _cached(f"notes_{where}", kinds, build)[""]  # type: ignore[no-any-return]


def label_roles(kind: str) -> dict[str, str]:
    """Every label of the layouts of this kind -> its label role."""
    return _cached("labels", (kind,), lambda: _label_roles(kind))


def _label_roles(kind: str) -> dict[str, str]:
    roles: dict[str, str] = {}
    for layout in layouts(kind):
        for role, texts in layout.labels.items():
            for text in texts:
                roles.setdefault(heading_key(text), role)
    return roles


def labels_of(kind: str, role: str) -> frozenset[str]:
    """The label keys that any layout of this kind gives this role (a label may have one role per layout)."""
    return _cached(f"role:{role}", (kind,), lambda: {"": _labels_of(kind, role)})[""]  # type: ignore[no-any-return]


def _labels_of(kind: str, role: str) -> frozenset[str]:
    return frozenset(heading_key(text) for layout in layouts(kind) for text in layout.labels.get(role, ()))


@attrs.frozen
class Detection:
    """Which layout a sheet is in, or ``None`` with the reason none fits.

    Attributes:
        layout: the layout that fits best, or ``None``.
        reason: why it was chosen (the headings and marks it matched), or why none fits
            (the headings seen, and what each layout expects).
        headings: the heading keys seen in the sheet's header rows.
    """

    layout: Layout | None
    reason: str
    headings: tuple[str, ...] = ()


def detect(
    header_rows: Iterable[Iterable[str]],
    labels: Iterable[str],
    title: str,
    kinds: Iterable[str] = ("project", "department"),
) -> Detection:
    """The layout of a sheet from its header rows' headings, its labels and its title.

    A layout fits when one header row holds a heading for each of its ``required`` roles
    and, if it has ``marks``, one of them is a label, a heading or part of the title. Of the
    layouts that fit, the one matching most headings and labels wins (the first on a tie).
    """
    rows = [[heading_key(text) for text in row if text] for row in header_rows]
    label_keys = {heading_key(text) for text in labels if text}
    title_key = heading_key(title)
    seen = tuple(dict.fromkeys(key for row in rows for key in row))
    best: tuple[int, Layout, str] | None = None
    missing: list[str] = []
    for layout in LAYOUTS:
        if layout.kind not in kinds:
            continue
        headings = layout.headings()
        spans = {heading_key(text): roles for text, roles in layout.spans.items()}
        fits: list[tuple[int, list[str]]] = []
        for row in rows:
            roles = {headings[key] for key in row if key in headings}
            roles.update(role for key in row for role in spans.get(key, ()))
            lacking = [role for role in layout.required if role not in roles]
            if not lacking:
                fits.append((len(roles), [key for key in row if key in headings or key in spans]))
        if not fits:
            wanted = "、".join(layout.columns[role][0] if role in layout.columns else role for role in layout.required)
            missing.append(f"{layout.key} needs headings {wanted}")
            continue
        marks = [heading_key(mark) for mark in layout.marks]
        marked = [m for m in marks if m in label_keys or m in seen or (m and m in title_key)]
        if marks and not marked:
            missing.append(f"{layout.key} needs one of {'、'.join(layout.marks)} (a label, a heading or in the title)")
            continue
        count, matched = max(fits, key=lambda fit: fit[0])
        known = {heading_key(text) for texts in layout.labels.values() for text in texts}
        label_count = len(label_keys & known)
        score = count + label_count + len(marked)
        why = f"{layout.key}: headings {'、'.join(matched)}" + (f"; marked by {'、'.join(marked)}" if marked else "")
        if best is None or score > best[0]:
            best = (score, layout, why)
    if best is not None:
        return Detection(best[1], best[2], seen)
    shown = "、".join(seen) if seen else "none"
    return Detection(None, f"headings seen: {shown}; " + "; ".join(missing), seen)

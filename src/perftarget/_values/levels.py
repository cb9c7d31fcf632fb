"""The indicator tree's vocabularies (一级/二级指标) for both national schemas.

``classic`` is the tree of 财预〔2015〕88号 and 财预〔2020〕10号 (the seed uses it);
``core2021`` is the tree of 财预〔2021〕101号, which makes 成本指标 a first-level indicator.
"""

from __future__ import annotations

import enum
from typing import Final

from perftarget._values.text import simplified

__all__ = ["Level1", "Level2", "Schema", "level_label", "schemas_of", "to_level1", "to_level2"]


class _Labelled(enum.Enum):
    """An enum whose value is the Chinese label; ``english`` gives the English name."""

    def __str__(self) -> str:
        return str(self.value)

    # A member is its own identity (members are singletons and compare by identity), so it
    # hashes as one: in C, not through Enum.__hash__ in Python (levels key many lookups).
    __hash__ = object.__hash__

    @property
    def label(self) -> str:
        """The Chinese label as printed in tables (``产出指标``)."""
        return str(self.value)

    @property
    def english(self) -> str:
        """The English name (``output``)."""
        return self.name.lower().replace("_", " ")


class Level1(_Labelled):
    """一级指标."""

    OUTPUT = "产出指标"
    BENEFIT = "效益指标"
    SATISFACTION = "满意度指标"
    COST = "成本指标"


class Level2(_Labelled):
    """二级指标."""

    QUANTITY = "数量指标"
    QUALITY = "质量指标"
    TIMELINESS = "时效指标"
    COST = "成本指标"
    ECONOMIC_BENEFIT = "经济效益指标"
    SOCIAL_BENEFIT = "社会效益指标"
    ECOLOGICAL_BENEFIT = "生态效益指标"
    SUSTAINABILITY = "可持续影响指标"
    SERVICE_SATISFACTION = "服务对象满意度指标"
    ECONOMIC_COST = "经济成本指标"
    SOCIAL_COST = "社会成本指标"
    ECOLOGICAL_COST = "生态环境成本指标"


class Schema(enum.Enum):
    """Which national indicator tree a table follows."""

    CLASSIC = "classic"
    CORE2021 = "core2021"

    @property
    def tree(self) -> dict[Level1, tuple[Level2, ...]]:
        """Each level-1 of this schema with its level-2 members, in table order."""
        return dict(_TREES[self])


_TREES: Final[dict[Schema, dict[Level1, tuple[Level2, ...]]]] = {
    Schema.CLASSIC: {
        Level1.OUTPUT: (Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS, Level2.COST),
        Level1.BENEFIT: (
            Level2.ECONOMIC_BENEFIT,
            Level2.SOCIAL_BENEFIT,
            Level2.ECOLOGICAL_BENEFIT,
            Level2.SUSTAINABILITY,
        ),
        Level1.SATISFACTION: (Level2.SERVICE_SATISFACTION,),
    },
    Schema.CORE2021: {
        Level1.COST: (Level2.ECONOMIC_COST, Level2.SOCIAL_COST, Level2.ECOLOGICAL_COST),
        Level1.OUTPUT: (Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS),
        Level1.BENEFIT: (
            Level2.ECONOMIC_BENEFIT,
            Level2.SOCIAL_BENEFIT,
            Level2.ECOLOGICAL_BENEFIT,
            Level2.SUSTAINABILITY,
        ),
        Level1.SATISFACTION: (Level2.SERVICE_SATISFACTION,),
    },
}

_ENGLISH_ALIASES: Final = {
    "output": Level1.OUTPUT,
    "benefit": Level1.BENEFIT,
    "satisfaction": Level1.SATISFACTION,
    "cost": Level1.COST,
}


def _schemas(level1: Level1, level2: Level2) -> frozenset[Schema]:
    return frozenset(schema for schema, tree in _TREES.items() if level2 in tree.get(level1, ()))


_SCHEMAS: Final = {(level1, level2): _schemas(level1, level2) for level1 in Level1 for level2 in Level2}


def schemas_of(level1: Level1, level2: Level2) -> frozenset[Schema]:
    """The schemas in which ``level2`` belongs to ``level1`` (empty: it belongs in none); a lookup for members."""
    found = _SCHEMAS.get((level1, level2))
    return found if found is not None else _schemas(level1, level2)


def _clean(label: str) -> str:
    text = simplified(label.strip().replace(" ", "").replace("\u3000", ""))  # 產出指標 reads with opencc
    for opening in ("(", "（"):
        if opening in text:  # "产出指标(50分)" -> "产出指标"
            text = text.split(opening, 1)[0]
    return text


def to_level1(value: Level1 | str | None) -> Level1 | str | None:
    """A level-1 from its enum member, Chinese label or English name; unknown labels stay text.

    Reads ``产出指标``, ``产出`` and ``产出指标(50分)`` alike, and ``產出指標`` when opencc is installed.
    """
    if value is None or isinstance(value, Level1):
        return value
    text = _clean(value)
    for member in Level1:
        if text in (member.value, member.value.removesuffix("指标")):
            return member
    return _ENGLISH_ALIASES.get(text.lower(), value)


def to_level2(value: Level2 | str | None) -> Level2 | str | None:
    """A level-2 from its enum member, Chinese label or English name; an unknown label is kept."""
    if value is None or isinstance(value, Level2):
        return value
    text = _clean(value)
    for member in Level2:
        if text in (member.value, member.value.removesuffix("指标")):
            return member
        if text.lower() in (member.english, member.name.lower()):
            return member
    return value


def level_label(text: str, lang: str = "zh") -> str:
    """A level's label as printed in ``lang``: ``产出指标`` is ``output`` in English; other text is kept."""
    if lang == "zh" or not text:
        return text
    member: _Labelled | str | None = to_level1(text)
    if not isinstance(member, Level1):
        member = to_level2(text)
    return member.english if isinstance(member, _Labelled) else text

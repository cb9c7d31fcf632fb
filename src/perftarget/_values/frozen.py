"""An immutable, hashable mapping for the fields of frozen classes (a dict there could change after checks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

__all__ = ["FrozenMap"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only mapping, equal to any mapping with the same items and hashable when its values are.

    ``FrozenMap({"PT3": Severity.ERROR})`` reads like the dict it was made from; it cannot be
    changed, so a frozen attrs class holding one stays frozen and can be hashed.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[K, V] | None = None) -> None:
        self._items: dict[K, V] = dict(items or {})

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __eq__(self, other: object) -> bool:
        return self._items == other._items if isinstance(other, FrozenMap) else self._items == other

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

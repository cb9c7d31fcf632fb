"""Building frozen model objects without their ``__init__``, for the fast paths.

Private. :func:`builder` gives a subclass of a frozen attrs class whose slots take plain
assignment; an object made as it and then given the real class is indistinguishable from
one made by ``__init__`` with the same (already converted and valid) values.
"""

from __future__ import annotations

from typing import Any

__all__ = ["builder"]


def builder(cls: type) -> Any:  # noqa: ANN401 - a class whose instances take plain assignment
    """A subclass of the frozen ``cls`` whose slots are set by plain (fast) assignment.

    It adds no slot, so an object built as it becomes a ``cls`` by assigning ``__class__``
    (CPython allows it between classes of the same layout): ``__init__`` without the
    converters and ``instance_of`` checks, and without a method call per field, which is
    what setting slots through ``object.__setattr__`` costs. Both ``__setattr__`` and
    ``__delattr__`` are the ones of ``object``, so that CPython's slot setting runs in C.
    The caller sets every field and is answerable for the values being what ``__init__``
    would have stored.
    """
    namespace = {"__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__}
    return type(f"_Building{cls.__name__}", (cls,), namespace)

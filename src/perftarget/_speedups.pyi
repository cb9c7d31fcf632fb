# Types of the optional compiled module (_speedups.c, built at install time when a C compiler is at hand).

from collections.abc import Callable
from decimal import Decimal
from typing import Any

SOURCE_SHA256: str  # the SHA-256 of the _speedups.c this module was compiled from

def dump(obj: object, /) -> bytes | None: ...

def configure(
    types: dict[str, type],
    written: dict[int, tuple[object, Any]],
    write_threshold: Callable[[Any], str],
    write_number: Callable[[Decimal], str],
    schema_version: int,
    /,
) -> None: ...

def build_indicators(items: list[Any], /) -> tuple[Any, ...]: ...

def configure_reader(
    struct: type,
    caches: tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]],
    makers: tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any], Callable[..., Any], Callable[..., Any]],
    /,
) -> None: ...

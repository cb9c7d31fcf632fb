# Types of the optional compiled writer (_cwriter.c, built at install time when a C compiler is at hand).

from collections.abc import Callable
from decimal import Decimal
from typing import Any

SOURCE_SHA256: str  # the SHA-256 of the _cwriter.c this module was compiled from

def dump(obj: object, /) -> bytes | None: ...

def configure(
    types: dict[str, type],
    written: dict[int, tuple[object, Any]],
    write_threshold: Callable[[Any], str],
    format_number: Callable[[Decimal], str],
    schema_version: int,
    /,
) -> None: ...

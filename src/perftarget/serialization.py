"""perftarget's stored format for your own tools: the converter and dict-shaped data.

Use :func:`make_converter` for a :class:`cattrs.Converter` that reads and writes the
format (strict: unknown keys are errors), :func:`configure_converter` to add the hooks
to a converter of your own, and :func:`to_dict` / :func:`from_dict` to go between
model objects and plain data (for a database, a web API, a message queue...).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from perftarget._codec.convert import (
    SCHEMA_VERSION,
    configure_converter,
    from_dict,
    make_converter,
    to_dict,
)
from perftarget._codec.hooks import threshold_text
from perftarget._formats.schema import json_schema

__all__ = [
    "SCHEMA_VERSION",
    "configure_converter",
    "from_dict",
    "json_schema",
    "make_converter",
    "threshold_text",
    "to_dict",
]

"""Packaging: public names, version, typing marker."""

from __future__ import annotations

from importlib import metadata, resources

import perftarget


def test_all_is_unique_and_importable():
    """__all__ names each public object once, and every name in it exists (ruff RUF022 keeps it sorted)."""
    assert len(set(perftarget.__all__)) == len(perftarget.__all__)
    for name in perftarget.__all__:
        assert getattr(perftarget, name) is not None


def test_version_from_metadata():
    """__version__ is the installed distribution's version."""
    assert perftarget.__version__ == metadata.version("perftarget")


def test_py_typed_and_schema_shipped():
    """The package ships py.typed and the JSON Schema file."""
    assert resources.files("perftarget").joinpath("py.typed").is_file()
    assert resources.files("perftarget").joinpath("schema/document-v1.json").is_file()


def test_public_errors_subclass_builtins():
    """Every public error is a PerftargetError and a ValueError."""
    for name in ("DocumentError", "InvalidValueError", "ThresholdSyntaxError", "UnitMismatchError",
                 "InvalidActualError"):
        cls = getattr(perftarget, name)
        assert issubclass(cls, perftarget.PerftargetError)
        assert issubclass(cls, ValueError)

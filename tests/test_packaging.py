"""Packaging: public names, version, typing marker."""

from __future__ import annotations

from importlib import metadata, resources

import perftarget


def test_all_is_sorted_and_importable():
    """__all__ is sorted and every name in it exists."""
    names = [n for n in perftarget.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
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

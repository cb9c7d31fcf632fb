"""Presets shipped with perftarget as data files, read with :mod:`importlib.resources`.

Each kind of preset has its own folder of TOML files, one file per preset:
``presets/scoring/national-2020.toml`` is the scoring preset ``national-2020``. The
files are plain data in the same format a province writes for its own variant, so a
preset is also an example to copy.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from importlib.resources import files

__all__ = ["names", "read_text"]

_SUFFIX = ".toml"


def names(kind: str) -> tuple[str, ...]:
    """The names of the presets of one kind (``"scoring"``), sorted; empty for an unknown kind."""
    folder = files(__name__).joinpath(kind)
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(entry.name[: -len(_SUFFIX)] for entry in folder.iterdir() if entry.name.endswith(_SUFFIX))
    )


def read_text(kind: str, name: str) -> str:
    """The text of one preset file.

    Raises:
        KeyError: there is no preset of that kind with that name.
    """
    if name not in names(kind):
        raise KeyError(name)
    return files(__name__).joinpath(kind).joinpath(f"{name}{_SUFFIX}").read_text(encoding="utf-8")

"""Build hook: compile the optional module ``perftarget._speedups`` when a C compiler is at hand.

perftarget is a pure-Python library; ``src/perftarget/_speedups.c`` only makes
``perftarget.dump``/``dumps`` and ``load``/``loads`` faster with the ``fast`` extra. When it cannot be compiled (no
compiler, no Python headers, an unknown platform) the wheel is built without it, with a warning,
and the pure-Python code is used. Set ``PERFTARGET_PURE_PYTHON=1`` to skip the compiler.

- A regular wheel gets the compiled module and a platform tag.
- An editable install (``pip install -e .``) gets it compiled into ``src/perftarget/``, next
  to the source (ignored by git); ``perftarget._fast`` uses it only while its recorded digest
  still matches ``_speedups.c``, so a stale build after an edit is never used.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src") / "perftarget" / "_speedups.c"


def _compile(root: Path, work: Path) -> Path:
    """Compile ``_speedups.c`` in ``work`` and return the path of the extension module."""
    from setuptools import Distribution, Extension  # noqa: PLC0415 - only when a wheel is built

    source = root / SOURCE
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    extension = Extension(
        "perftarget._speedups",
        sources=[str(source)],
        define_macros=[("PERFTARGET_SOURCE_SHA256", f'"{digest}"')],
    )
    distribution = Distribution({"name": "perftarget", "ext_modules": [extension]})
    command: Any = distribution.get_command_obj("build_ext")
    command.build_lib = str(work / "lib")
    command.build_temp = str(work / "temp")
    command.inplace = False
    command.ensure_finalized()
    command.run()
    return Path(command.get_ext_fullpath("perftarget._speedups"))


class SpeedupsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Add the compiled module to the wheel, or leave the wheel pure Python."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile ``_speedups.c``; on any failure, warn and build without it."""
        if self.target_name != "wheel" or os.environ.get("PERFTARGET_PURE_PYTHON"):
            return
        root = Path(self.root)
        work = Path(tempfile.mkdtemp(prefix="perftarget-build-"))
        try:
            built = _compile(root, work)
        except Exception as exc:  # noqa: BLE001 - any failure means: no compiled module
            shutil.rmtree(work, ignore_errors=True)
            self.app.display_warning(
                f"perftarget: the optional compiled module _speedups was not built ({exc!r}); "
                "the pure-Python code will be used"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "editable":
            target = root / "src" / "perftarget" / built.name
            shutil.copyfile(built, target)
            shutil.rmtree(work, ignore_errors=True)
        else:
            self._work = work
            build_data["force_include"][str(built)] = f"perftarget/{built.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:  # noqa: ARG002 - the hook's signature
        """Remove the temporary build folder."""
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

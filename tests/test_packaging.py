"""Packaging: public names, version, typing marker, the layers."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from importlib import metadata, resources
from pathlib import Path
from types import ModuleType

import pytest

import perftarget
from perftarget import exceptions

ROOT = Path(__file__).resolve().parent.parent
API_PAGE = ROOT / "docs" / "reference" / "api.md"
MAX_FRONT_DOOR = 50


def _public_modules() -> list[ModuleType]:
    """perftarget and every submodule without a private (``_``) part in its name."""
    names = ["perftarget"] + [
        info.name
        for info in pkgutil.walk_packages(perftarget.__path__, "perftarget.")
        if not any(part.startswith("_") for part in info.name.split(".")[1:])
    ]
    return [importlib.import_module(name) for name in names]


def _documented_by_automodule(page: str) -> dict[str, set[str] | None]:
    """Modules documented with ``automodule`` and ``:members:``: None for all members, or the names listed."""
    found: dict[str, set[str] | None] = {}
    for match in re.finditer(r"^\.\. automodule:: (\S+)\n((?:   [^\n]*\n)*)", page, flags=re.MULTILINE):
        options = match.group(2)
        members = re.search(r":members:(.*(?:\n      .*)*)", options)
        if members is None:
            continue
        listed = set(re.findall(r"\w+", members.group(1)))
        found[match.group(1)] = listed or None
    return found


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
        cls = getattr(exceptions, name)
        assert issubclass(cls, perftarget.PerftargetError)
        assert issubclass(cls, ValueError)


def test_front_door_is_small():
    """The top-level namespace stays a front door (at most 50 names); the rest lives in documented submodules."""
    assert len(perftarget.__all__) <= MAX_FRONT_DOOR
    assert "register_rule" not in perftarget.__all__  # rules are values now (RuleSet), not a process-wide registry


def test_every_public_name_is_documented():
    """Every name of every public __all__ is on the API page, as ``module.name`` or through ``automodule``."""
    page = API_PAGE.read_text(encoding="utf-8")
    automodules = _documented_by_automodule(page)
    missing = []
    for module in _public_modules():
        members = automodules.get(module.__name__, set())
        for name in getattr(module, "__all__", ()):
            if name == "__version__" and "perftarget.__version__" in page:
                continue
            if members is None or name in members:
                continue
            if not re.search(rf"(?<![\w.]){re.escape(module.__name__)}\.{re.escape(name)}(?!\w)", page):
                missing.append(f"{module.__name__}.{name}")
    assert missing == []


def test_no_public_module_is_a_mirror():
    """No public module only repeats the __all__ of a single private module (one home per name)."""
    for module in _public_modules():
        if module is perftarget:
            continue
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        defines = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign,
                                                                   ast.AnnAssign))]
        sources = {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module
                   and node.module.startswith("perftarget.")}
        own = [node for node in defines if not (isinstance(node, ast.Assign)
                                                 and any(getattr(t, "id", "") == "__all__" for t in node.targets))]
        assert own or len(sources) > 1, f"{module.__name__} only re-exports {sources}"


@pytest.mark.parametrize("name", ["Level1", "Quantity", "ReviewConfig", "register_rule", "SCHEMA_VERSION"])
def test_moved_names_are_gone_from_the_front_door(name):
    """Names moved to a submodule are not also at the top (one home each)."""
    with pytest.raises(AttributeError):
        getattr(perftarget, name)


def test_model_imports_no_display_or_pandas():
    """The model imports neither display nor pandas code, not even inside a function; the front door adds the
    notebook form, and importing perftarget loads no pandas."""
    for path in (ROOT / "src" / "perftarget" / "_model").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith(("perftarget._display", "perftarget.frame", "perftarget.plot", "pandas")), (
                    f"{path.name} imports {name}"
                )
    code = (
        "import sys, perftarget\n"
        "assert 'pandas' not in sys.modules\n"
        "html = perftarget.load('examples/petition-bureau.toml')._repr_html_()\n"
        "assert '<div class=\"perftarget-department\">' in html, html[:40]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)

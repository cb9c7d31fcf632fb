"""Tables in traditional characters (績效, 萬元, 產出指標): recognised through opencc, printed texts kept, noticed."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import perftarget
from perftarget import Threshold
from perftarget._values import text as text_module
from perftarget._values.dimensions import TRADITIONAL_FOLD
from perftarget._values.levels import Level1, Level2, to_level1, to_level2
from perftarget.excel import _grid as grid_module
from perftarget.excel import read_workbook, write_workbook
from perftarget.exceptions import TraditionalTextWarning, WorkbookError
from perftarget.values import is_known_unit, normalize_unit, parse_quantity

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "petition-bureau.toml"


# --- the target grammar reads traditional units and words, opencc or not ---------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("≥28.8萬元", "28.8", "万元", "≥"),
        ("28.8萬元", "28.8", "万元", "≥"),  # a bare amount in a known unit is a target, as 28.8万元
        ("≤3個月", "3", "个月", "≤"),
        ("3天內", "3", "天", "≤"),
        ("不低於95%", "95", "%", "≥"),
        ("≥2小時/週", "2", "小时/周", "≥"),
        ("≥500噸", "500", "吨", "≥"),
    ],
)
def test_threshold_reads_traditional_units(text: str, value: str, unit: str, comparator: str) -> None:
    threshold = Threshold.parse(text)
    assert threshold.is_quantitative
    assert (threshold.value, threshold.unit, threshold.comparator.value) == (Decimal(value), unit, comparator)  # type: ignore[union-attr]


def test_range_and_statement_in_traditional() -> None:
    assert Threshold.parse("90%~100%之間") == Threshold.parse("90%~100%之间")
    statement = Threshold.parse("按時發放")
    assert statement.statement == "按時發放"  # a statement is kept as printed


def test_units_normalised_to_simplified() -> None:
    assert normalize_unit("萬元") == "万元"
    assert is_known_unit("個")
    assert parse_quantity("95,000 萬元").to("亿元").value == Decimal("9.5")


# --- the character tables agree with opencc -----------------------------------------------


@pytest.fixture(scope="module")
def t2s() -> object:
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC("t2s")


def test_fold_pairs_agree_with_opencc(t2s: object) -> None:
    for traditional, simple in TRADITIONAL_FOLD.items():
        assert t2s.convert(chr(traditional)) == simple, chr(traditional)  # type: ignore[attr-defined]


def test_hints_are_traditional_only(t2s: object) -> None:
    for character in text_module.TRADITIONAL_HINTS:
        assert t2s.convert(character) != character, character  # type: ignore[attr-defined]
    for marker in text_module.TRADITIONAL_MARKERS:
        assert t2s.convert(marker) != marker, marker  # type: ignore[attr-defined]
        assert not text_module.TRADITIONAL_HINTS.isdisjoint(marker)


def test_a_stray_traditional_character_is_no_table_in_traditional() -> None:
    assert not text_module.traditional_seen("於秀英负责项目")  # a surname
    assert text_module.traditional_seen("產出指標")


def _literals(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" not in node.value:
            yield node.value


def test_known_labels_are_fixed_by_the_conversion() -> None:
    """Every label the readers know is unchanged by t2s: the conversion never breaks a simplified table."""
    pytest.importorskip("opencc")
    sources = [*sorted((ROOT / "src" / "perftarget" / "excel").glob("*.py")), ROOT / "src/perftarget/_values/levels.py"]
    words = {word for path in sources for literal in _literals(path) for word in re.findall(r"[\u4e00-\u9fff]+", literal)}
    changed = {word: text_module.simplified(word) for word in words if text_module.simplified(word) != word}
    assert changed == {}


# --- a workbook in traditional characters ----------------------------------------------------


@pytest.fixture(scope="module")
def traditional_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's workbook with every text (sheet titles too) in traditional characters, as a mirror site shows it."""
    opencc = pytest.importorskip("opencc")
    s2t = opencc.OpenCC("s2t")
    folder = tmp_path_factory.mktemp("traditional")
    write_workbook(perftarget.load(SEED), folder / "seed.xlsx")
    book = openpyxl.load_workbook(folder / "seed.xlsx")
    for ws in book.worksheets:
        ws.title = s2t.convert(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = s2t.convert(cell.value)
    book.save(folder / "績效目標.xlsx")
    return folder / "績效目標.xlsx"


def test_traditional_table_reads(traditional_book: Path) -> None:
    seed = perftarget.load(SEED)
    with pytest.warns(TraditionalTextWarning, match=r"sheet 部門整體績效目標, 1\.常年駐京.*opencc t2s.*kept as printed"):
        document = read_workbook(traditional_book)
    project, expected = document.projects[0], seed.projects[0]
    assert project.name == "常年駐京值班工作隊值班費"  # as printed
    assert project.budget == expected.budget
    assert project.schedule == expected.schedule
    read = [indicator for goal in project.goals for indicator in goal.indicators]
    wanted = [indicator for goal in expected.goals for indicator in goal.indicators]
    assert [(i.level1, i.level2) for i in read] == [(i.level1, i.level2) for i in wanted]
    assert [i.name for i in read][:2] == ["工作日保障單位運轉", "羣衆來訪接待勸返率"]
    assert [i.target for i in read if i.target.is_quantitative] == [i.target for i in wanted if i.target.is_quantitative]
    assert document.department is not None
    assert seed.department is not None
    assert len(document.department.goals) == len(seed.department.goals)
    assert document.department.duties[0] == "研究提出全縣信訪工作思路。"  # as printed


def test_traditional_table_round_trips(traditional_book: Path, tmp_path: Path) -> None:
    with pytest.warns(TraditionalTextWarning):
        document = read_workbook(traditional_book)
    write_workbook(document, tmp_path / "again.xlsx")
    with pytest.warns(TraditionalTextWarning):
        assert read_workbook(tmp_path / "again.xlsx") == document


@pytest.fixture
def without_opencc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if opencc were not installed: the converter gone, and the caches of what it converted cleared."""
    caches = (text_module._simplified_cached, grid_module._cached_key)
    monkeypatch.setattr(text_module, "_converter", lambda: None)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.mark.usefixtures("without_opencc")
def test_without_opencc_one_clear_notice(traditional_book: Path) -> None:
    assert to_level1("產出指標") == "產出指標"  # not recognised, kept as text (as before)
    notice = r'recognised only with opencc: pip install "perftarget\[traditional\]"'
    with pytest.warns(TraditionalTextWarning, match=notice), pytest.raises(WorkbookError) as caught:
        read_workbook(traditional_book)
    notices = [problem for problem in caught.value.problems if "opencc" in problem.message]
    assert len(notices) == 1


def test_levels_in_traditional() -> None:
    pytest.importorskip("opencc")
    assert to_level1("產出指標") is Level1.OUTPUT
    assert to_level1("滿意度指標(10分)") is Level1.SATISFACTION
    assert to_level2("數量指標") is Level2.QUANTITY
    assert to_level2("服務對象滿意度指標") is Level2.SERVICE_SATISFACTION


def test_simplified_table_gives_no_notice(tmp_path: Path, recwarn: pytest.WarningsRecorder) -> None:
    write_workbook(perftarget.load(SEED), tmp_path / "seed.xlsx")
    read_workbook(tmp_path / "seed.xlsx")
    assert not [warning for warning in recwarn if issubclass(warning.category, TraditionalTextWarning)]

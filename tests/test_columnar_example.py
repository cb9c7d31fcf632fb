"""The columnar example reviews, scores and monitors a generated province as the batch API does."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("numpy")

from perftarget._formats.columnar import six_places
from perftarget.batch import process_folder

AS_OF = "2023-07-31"


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory, load_script: Callable[[str], ModuleType]) -> Path:
    """60 generated tables in 6 unit files, with actuals and spending."""
    generate = load_script("benchmarks/generate.py")
    folder = tmp_path_factory.mktemp("province")
    generate.write_province(folder, 60, seed=11)
    return folder


def _rounded(rows: list[dict[str, object]], figures: tuple[str, ...]) -> list[dict[str, object]]:
    return [{k: six_places(Decimal(str(v))) if k in figures and v != "" else v for k, v in row.items()} for row in rows]


def test_example_matches_the_batch_api(
    province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], load_script: Callable[[str], ModuleType]
) -> None:
    """Scores and monitoring equal process_folder's rows (figures to 6 places); the summary is printed."""
    example = load_script("examples/columnar_province.py")
    assert example.main([str(province), "--as-of", AS_OF, "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "60 tables" in printed
    assert "grades:" in printed
    assert sorted(p.name for p in tmp_path.glob("*.parquet")) == [
        "findings.parquet", "monitoring.parquet", "review.parquet", "scores-by-indicator.parquet", "scores.parquet",
    ]
    results = example.run(province, as_of=AS_OF, out=tmp_path)
    scores = process_folder("evaluate", province, workers=1, collect=True).to_records()
    figures = ("total", "raw_total", "weight_total", "budget", "spent", "budget_execution_rate", "budget_score")
    assert results["scores"].to_pylist() == _rounded(scores, figures)
    spending = process_folder("monitor", province, workers=1, collect=True, as_of=AS_OF).to_records()
    figures = ("budget", "spent", "execution_rate", "planned_share", "time_progress", "gap_to_plan", "gap_to_time",
               "ratio", "projected_spent")
    for row in spending:  # indicator progress is not in the columns: no cause-missing findings there
        row["findings"] = " ".join(code for code in str(row["findings"]).split() if code != "cause-missing")
    assert results["monitoring"].to_pylist() == _rounded(spending, figures)
    checked = process_folder("check", province, workers=1, collect=True).to_records()
    assert results["review"].column("codes").to_pylist() == [row["codes"] for row in checked]

"""The Dask example processes a generated province on a local cluster, as the batch API does."""

from __future__ import annotations

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

from perftarget.batch import process_folder


@pytest.fixture(scope="module")
def province(tmp_path_factory, load_script):
    """40 generated tables in 4 unit files, with actuals and spending."""
    generate = load_script("benchmarks/generate.py")
    folder = tmp_path_factory.mktemp("province")
    generate.write_province(folder, 40, seed=7)
    return folder


def test_dask_example_matches_the_batch_api(province, tmp_path, capsys, load_script):
    """On a two-worker LocalCluster the example computes the rows process_folder writes."""
    example = load_script("examples/dask_province.py")
    out = tmp_path / "scores.csv"
    assert example.main([str(province), "--operation", "evaluate", "--out", str(out), "--workers", "2"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("40 rows, 4 files, 0 rows with an error")
    table = example.run(province, operation="monitor", per="indicator", files_per_partition=1, workers=2)
    expected = process_folder("monitor", province, per="indicator", workers=1, collect=True, progress=False)
    assert sorted(map(tuple, table.itertuples(index=False))) == sorted(expected.collected or ())
    assert out.read_text("utf-8").splitlines()[0].startswith("file,project_code,project_name,year,total,grade")

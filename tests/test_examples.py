"""The examples run: the walk-through script and the notebook (executed, not just parsed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_walkthrough_script():
    """The script loads, reviews, monitors at two dates and scores the seed."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "walkthrough.py")],
        capture_output=True, text=True, check=False, encoding="utf-8", cwd=EXAMPLES.parent,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "PT501 warning department.goals[1].indicators[0].target" in out
    assert "2022-06-30: spent 3.20 万元, execution 32.00%" in out
    assert "2022-07-31: spent 4.00 万元, execution 40.00% vs plan 56.30% and time 58.33% -> 黄 (yellow)" in out
    assert "total 94.23, grade 优 (excellent)" in out


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_notebook_executes():
    """Every cell of the notebook runs without error and the charts are produced."""
    notebook = nbformat.read(EXAMPLES / "walkthrough.ipynb", as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}})
    client.execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    assert any("perftarget-project" in o["data"]["text/html"] for o in html)
    assert any("<caption>审核意见（0 个错误，6 个警告，5 个提示）</caption>" in o["data"]["text/html"] for o in html)
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2

"""The report: one self-contained HTML page (and its Markdown twin), from the API and the command line.

The page is also opened in a real browser, headless Chromium, when one is installed (Debian's
``chromium`` package): it must load, hold its tables, and draw Chinese when a CJK font is installed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import warnings

import attrs
import pytest

import perftarget as pt
from perftarget import report
from perftarget._display import Table
from perftarget.cli import EXIT_BAD_INPUT, EXIT_OK, main
from perftarget.exceptions import MonitoringError

SEED = "examples/petition-bureau.toml"
ACTUALS = "examples/petition-bureau-actuals.toml"
PAYMENTS = "examples/petition-bureau-payments.toml"
FULL = {"actuals": ACTUALS, "payments": PAYMENTS, "as_of": "2022-07-31", "progress": {"群众来访接待劝返率": "96%"}}


@pytest.fixture(scope="module")
def page() -> str:
    """The full report of the seed, charts included (drawn once for the module)."""
    with warnings.catch_warnings():  # without a CJK font the charts fall back to English (tests/test_plot.py)
        warnings.filterwarnings("ignore", "no CJK font", pt.PerftargetWarning)
        return report.to_html(SEED, **FULL)


def test_page_is_self_contained(page):
    """One page: charset, styles inline, charts as inline SVG, nothing fetched, print rules for A4."""
    assert page.startswith("<!DOCTYPE html>\n")
    assert '<meta charset="utf-8">' in page
    assert page.count("<svg") == 2
    assert not re.search(r"""<(link|script|img|iframe)\b|\bsrc=|url\((?!#)|@import""", page)
    assert "@page{size:A4" in page
    assert "@media print" in page
    assert page.rstrip().endswith("</html>")


def test_page_holds_every_part(page):
    """The review findings, the target tables, the monitoring table and the self-evaluation, in that order."""
    parts = ["<caption>审核意见（0 个错误，6 个警告，5 个提示）</caption>", "部门整体绩效目标",
             "<caption>常年驻京值班工作队值班费项目绩效目标表</caption>",
             "<caption>常年驻京值班工作队值班费项目绩效运行监控表</caption>",
             "<caption>常年驻京值班工作队值班费项目支出绩效自评表</caption>"]
    positions = [page.index(part) for part in parts]
    assert positions == sorted(positions)
    assert "<td>确定能</td>" in page
    assert '<td class="num">94.23</td>' in page
    assert "0 个错误，6 个警告，5 个提示" in page


def test_what_is_not_given_is_said():
    """Without spending or actuals, the page says what monitoring and evaluation would need; no charts."""
    page = report.to_html(SEED)
    assert "未监控" in page
    assert "未自评" in page
    assert "<svg" not in page
    assert "<caption>审核意见（0 个错误，6 个警告，5 个提示）</caption>" in page


def test_spent_amount_and_no_charts():
    """An amount spent gives the monitoring table without a spending chart; charts=False leaves out every chart."""
    page = report.to_html(pt.load(SEED), actuals=ACTUALS, spent="40000元", as_of=dt.date(2022, 7, 31), charts=False)
    assert "项目绩效运行监控表" in page
    assert "40.00%" in page
    assert "<svg" not in page


def test_english_page():
    """lang='en' writes the headings and forms in English."""
    page = report.to_html(SEED, actuals=ACTUALS, lang="en", charts=False)
    assert '<html lang="en">' in page
    assert "1. Review findings" in page
    assert "Project self-evaluation" in page
    assert "excellent" in page


def test_markdown_has_the_same_tables():
    """to_markdown: the same sections and tables, in Markdown, without charts."""
    text = report.to_markdown(SEED, actuals=ACTUALS, spent=4, as_of="7月底")
    assert text.startswith("# 博野县信访局本级、常年驻京值班工作队值班费 预算绩效报告\n")
    for heading in ("## 一、审核意见", "## 二、绩效目标", "## 三、绩效运行监控", "## 四、绩效自评"):
        assert f"\n{heading}\n" in text
    assert "| 预算执行率 |  |  | 10.00 | 9.20（92.00%） | 10.00 | 9.20 |  |" in text
    assert "<svg" not in text


def test_write_is_atomic_and_by_suffix(tmp_path):
    """write() picks HTML or Markdown by the suffix and writes through a temporary file."""
    html = report.write(tmp_path / "r.html", SEED, actuals=ACTUALS, charts=False)
    assert html.read_text(encoding="utf-8") == report.to_html(SEED, actuals=ACTUALS, charts=False)
    markdown = report.write(tmp_path / "r.md", SEED)
    assert markdown.read_text(encoding="utf-8").startswith("# ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.md"]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"spent": 4}, "needs both the date"),
        ({"as_of": "2022-07-31"}, "needs both the date"),
        ({"spent": 4, "payments": PAYMENTS, "as_of": "2022-07-31"}, "not both"),
    ],
)
def test_monitoring_needs_date_and_spending(inputs, message):
    """Monitoring needs a date and one kind of spending; the message names both the API and CLI spelling."""
    with pytest.raises(MonitoringError, match=message):
        report.to_html(SEED, **inputs)


def test_several_projects_need_one_named():
    """Monitoring is of one project: with several, name it."""
    document = pt.load(SEED)
    other = attrs.evolve(document.projects[0], code="P2", name="另一项目")
    two = attrs.evolve(document, projects=(*document.projects, other))
    with pytest.raises(MonitoringError, match="name it"):
        report.to_markdown(two, spent=4, as_of="2022-07-31")
    with pytest.raises(MonitoringError, match="no project 'P3'"):
        report.to_markdown(two, spent=4, as_of="2022-07-31", project="P3")
    assert "另一项目项目绩效运行监控表" in report.to_markdown(two, spent=4, as_of="2022-07-31", project="P2")


def test_findings_in_one_language():
    """The report's findings show the Chinese message and help in zh, the English ones in en."""
    findings = pt.review(pt.load(SEED))
    chinese = report.to_markdown(SEED)
    english = report.to_markdown(SEED, lang="en")
    for finding in findings:
        assert f"| {finding.message} | {finding.help_zh} |" in chinese
        assert finding.help[:30] not in chinese
        assert f"| {finding.message_en} | {finding.help} |" in english
        assert finding.help_zh[:20] not in english
    assert "修改建议" in chinese
    assert "How to fix" in english


def test_table_shows_findings():
    """table() gives any result, a list of findings included, its published form."""
    shown = report.table(pt.review(pt.load(SEED)), "en")
    assert isinstance(shown, Table)
    assert "Review findings" in str(shown)


def test_cli_report(tmp_path, capsys):
    """perftarget report FILE ... --out PATH writes the page and says where; bad input exits 2 with a message."""
    out = tmp_path / "report.html"
    code = main(["report", SEED, "--actuals", ACTUALS, "--spent", "4", "--as-of", "2022-07-31", "--out", str(out),
                 "--no-charts"])
    assert code == EXIT_OK
    assert capsys.readouterr().err == f"wrote {out}\n"
    page = out.read_text(encoding="utf-8")
    assert "项目支出绩效自评表" in page
    assert "项目绩效运行监控表" in page
    code = main(["report", SEED, "--spent", "4", "--out", str(tmp_path / "x.md")])
    assert code == EXIT_BAD_INPUT
    assert "--as-of" in capsys.readouterr().err
    assert not (tmp_path / "x.md").exists()
    assert main(["report", SEED, "--out", str(tmp_path / "r.md"), "--lang", "en"]) == EXIT_OK
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# ")


# --- in a real browser -----------------------------------------------------------------------------

_CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_PROBE_TOP = 0
_PROBE_HEIGHT = 90
_PROBE_WIDTH = 420
# Two strings of the same length drawn at fixed places over the page: with a CJK font their glyphs
# differ; without one both are rows of identical empty boxes.
_PROBE = (
    '<div style="position:absolute;left:0;top:{top}px;width:{w}px;height:{h}px;background:#fff;z-index:9;'
    'font:56px/{h}px \'WenQuanYi Zen Hei\',\'Noto Sans CJK SC\',\'Source Han Sans SC\',sans-serif">{text}</div>'
)


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:  # pragma: no cover - fontconfig comes with chromium
        return False
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


@pytest.mark.skipif(_CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_page_renders_in_chromium(page, tmp_path):
    """Chromium loads the page, keeps its tables, and draws it; with a CJK font, Chinese is drawn (not boxes)."""
    image = pytest.importorskip("matplotlib.image")
    probes = "".join(
        _PROBE.format(top=_PROBE_TOP + n * _PROBE_HEIGHT, w=_PROBE_WIDTH, h=_PROBE_HEIGHT, text=text)
        for n, text in enumerate(("审核意见", "绩效目标"))
    )
    file = tmp_path / "report.html"
    file.write_text(page.replace("<body>\n", f"<body>\n{probes}\n", 1), encoding="utf-8")
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [_CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1200,1600",
         "--dump-dom", file.as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert dom.count("<table") == 4
    for caption in ("审核意见", "项目绩效目标表", "项目绩效运行监控表", "项目支出绩效自评表"):
        assert caption in dom
    assert dom.count("<svg") == 2
    assert "</main>" in dom
    pixels = image.imread(shot)
    assert pixels.shape[:2] == (1600, 1200)
    drawn = (pixels[..., :3] < 0.9).any(axis=-1)
    assert drawn.mean() > 0.02  # not a blank page
    first = drawn[_PROBE_TOP : _PROBE_TOP + _PROBE_HEIGHT, :_PROBE_WIDTH]
    second = drawn[_PROBE_TOP + _PROBE_HEIGHT : _PROBE_TOP + 2 * _PROBE_HEIGHT, :_PROBE_WIDTH]
    assert first.any()
    assert second.any()
    if _has_cjk_font():
        assert (first != second).mean() > 0.01  # different characters, different glyphs



def test_show_html_is_a_whole_page(capsys):
    """show --format html writes a whole UTF-8 page with the tables' style, not a bare fragment."""
    assert main(["show", SEED, "--format", "html"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>\n")
    assert '<meta charset="utf-8">' in out
    assert ".perftarget table th,.perftarget table td{border:1px solid" in out
    assert out.rstrip().endswith("</html>")

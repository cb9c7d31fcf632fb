"""The command line: output, exit codes, and no traceback for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import perftarget as pt
from perftarget._progress import progress_bar
from perftarget.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main
from perftarget.rules import BUILTIN_RULES, DEFAULT_RULES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_text_lays_out_the_table(capsys, seed_path):
    """show prints the project table grouped by level, aligned, with a validation line."""
    code, out, _ = run(capsys, "show", str(seed_path))
    assert code == EXIT_OK
    assert "常年驻京值班工作队值班费项目绩效目标表" in out
    assert "产出指标    数量指标            工作日保障单位运转" in out
    assert "\n            质量指标            群众来访接待劝返率" in out
    assert "已读取并校验：1 个项目表，9 个三级指标。" in out


def test_show_english_markdown_html_json(capsys, seed_path):
    """--lang en, --format markdown/html/json all work on the seed."""
    _, out, _ = run(capsys, "show", str(seed_path), "--lang", "en", "--format", "markdown")
    assert "| Level 1 | Level 2 | Indicator |" in out
    assert "| output | quantity | 工作日保障单位运转 |" in out
    _, out, _ = run(capsys, "show", str(seed_path), "--format", "html")
    assert '<td rowspan="4">产出指标</td>' in out
    _, out, _ = run(capsys, "show", str(seed_path), "--format", "json")
    assert pt.loads(out) == pt.load(seed_path)


def test_check_reviews_the_seed(capsys, seed_path):
    """check prints each finding with code, severity, path and message; warnings alone exit 0."""
    code, out, _ = run(capsys, "check", str(seed_path))
    assert code == EXIT_OK
    assert "PT501 警告 department.goals[1].indicators[0].target" in out
    assert "PT302 警告 projects[0].goals[0].indicators[0].target" in out
    assert "warning" not in out
    assert out.rstrip().endswith("0 个错误，6 个警告，5 个提示")


def test_check_select_ignore_lang_json(capsys, seed_path):
    """--select/--ignore filter rules like a linter; --format json gives the findings as data."""
    code, out, _ = run(capsys, "check", str(seed_path), "--select", "PT3", "--ignore", "PT305", "--lang", "en")
    assert code == EXIT_OK
    assert out.count("PT3") == 2
    assert "0 errors, 2 warnings, 0 info" in out
    code, out, _ = run(capsys, "check", str(seed_path), "--format", "json", "--select", "PT501")
    (result,) = json.loads(out)
    assert [f["code"] for f in result["findings"]] == ["PT501"]
    assert result["findings"][0]["severity"] == "warning"


def test_check_exit_1_on_error_findings(capsys, seed_path, tmp_path):
    """A finding of error severity makes check exit 1 (severity raised by a config file)."""
    config = tmp_path / "perftarget.toml"
    config.write_text('[tool.perftarget]\nseverity = {PT302 = "error"}\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", str(seed_path), "--config", str(config))
    assert code == EXIT_FINDINGS
    assert "PT302 错误" in out


def test_check_show_help_in_one_language(capsys, seed_path, tmp_path):
    """check --show-help prints each finding's message and help in the language asked for, never the other."""
    failing = tmp_path / "failing.toml"
    example = DEFAULT_RULES["PT104"].fail_example
    assert example is not None
    pt.dump(example.document(), failing)
    for path in (failing, seed_path):
        findings = pt.review(pt.load(path))
        assert findings
        code, out, _ = run(capsys, "check", str(path), "--show-help")
        assert code == (EXIT_FINDINGS if path == failing else EXIT_OK)
        for finding in findings:
            assert f"      {finding.message}\n      修改建议：{finding.help_zh}\n" in out
        assert "help:" not in out
        assert not [rule.code for rule in BUILTIN_RULES if rule.help[:30] in out or rule.message_en[:20] in out]
        code, out, _ = run(capsys, "check", str(path), "--show-help", "--lang", "en")
        for finding in findings:
            assert f"      {finding.message_en}\n      help: {finding.help}\n" in out
        assert "修改建议" not in out
        assert not [rule.code for rule in BUILTIN_RULES if rule.help_zh[:20] in out]


def test_check_bad_file_does_not_stop_the_others(capsys, seed_path, tmp_path):
    """A file that cannot be read is reported with every problem; the others are still reviewed; exit 2."""
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\nfoo = 1\nprojects = 3\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(bad), str(seed_path), "--format", "json")
    assert code == EXIT_BAD_INPUT
    broken, seed = json.loads(out)
    assert broken["readable"] is False
    assert len(broken["problems"]) == 2
    assert seed["readable"] is True
    assert len(seed["findings"]) == 11


def test_check_folder(capsys, seed_path, tmp_path):
    """A folder is expanded to its .json/.toml files."""
    pt.dump(pt.load(seed_path), tmp_path / "a.json")
    pt.dump(pt.load(seed_path), tmp_path / "b.toml")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == EXIT_OK
    assert out.count("PT501") == 2


def test_bad_input_is_one_message_exit_2(capsys, tmp_path):
    """Malformed input: exit 2, the file and the place, no traceback."""
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\n[[projects]]\ncode = 1\n", encoding="utf-8")
    code, out, err = run(capsys, "show", str(bad))
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert "bad.toml" in err
    assert "projects[0].code: expected text" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "show", str(tmp_path / "missing.toml"))
    assert code == EXIT_BAD_INPUT
    assert "cannot read the file" in err


def test_usage_errors_exit_2(capsys):
    """Unknown commands and options exit 2 with usage."""
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == EXIT_BAD_INPUT
    code, _, err = run(capsys, "check", "nothing-matches-*.toml")
    assert code == EXIT_BAD_INPUT
    assert "no file matches" in err


def test_schema_command(capsys):
    """schema prints the JSON Schema."""
    code, out, _ = run(capsys, "schema")
    assert code == EXIT_OK
    assert json.loads(out)["title"] == "Document"


def test_convert(capsys, seed_path, tmp_path):
    """convert writes the other format; converting onto the input is refused."""
    target = tmp_path / "seed.json"
    code, _, _ = run(capsys, "convert", str(seed_path), str(target))
    assert code == EXIT_OK
    assert pt.load(target) == pt.load(seed_path)
    code, _, err = run(capsys, "convert", str(target), str(target))
    assert code == EXIT_BAD_INPUT
    assert "must not be the input" in err


def test_python_dash_m(seed_path):
    """python -m perftarget runs the same command line."""
    result = subprocess.run(
        [sys.executable, "-m", "perftarget", "show", str(seed_path), "--lang", "en"],
        capture_output=True, text=True, check=False, encoding="utf-8",
    )
    assert result.returncode == 0
    assert "Read and validated: 1 project table(s), 9 indicators." in result.stdout


def test_check_draws_no_bar_when_stderr_is_not_a_terminal(capsys):
    """The check of several files draws its bar only on a terminal."""
    main(["check", "examples/petition-bureau.toml", "tests/data/tianchang-water-2022.toml"])
    assert capsys.readouterr().err == ""


def test_the_progress_bar_is_rich_s_and_optional(monkeypatch):
    """One bar for the CLI and batches: rich draws it; without rich (or without a stream) nothing is drawn."""
    stream = io.StringIO()
    with progress_bar(3, stream) as bar:
        for rows in (1, 2, 3):
            bar.advance(f"{rows} rows")
    assert stream.getvalue().rstrip().endswith("3/3 files, 3 rows")
    with progress_bar(3, None) as bar:
        bar.advance("x")  # no stream: silent
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    quiet = io.StringIO()
    with progress_bar(3, quiet) as bar:
        bar.advance("x")
    assert quiet.getvalue() == ""


ACTUALS = "examples/petition-bureau-actuals.toml"
PAYMENTS = "examples/petition-bureau-payments.toml"


def test_evaluate_prints_the_selfeval_table(capsys, seed_path):
    """evaluate prints the 10号 columns, the total and the grade."""
    code, out, _ = run(capsys, "evaluate", str(seed_path), "--actuals", ACTUALS)
    assert code == EXIT_OK
    assert "年度指标值  实际完成值" in out
    assert "总分 94.23  等级 优  预算执行率 92.00%" in out  # one language per output (was 优 (excellent))
    assert "需填写偏差原因分析" not in out


def test_evaluate_spent_override_policy_and_formats(capsys, seed_path):
    """--spent overrides the file's amount; --policy picks a preset; csv and json work."""
    code, out, _ = run(capsys, "evaluate", str(seed_path), "--actuals", ACTUALS, "--spent", "10", "--format", "csv")
    assert code == EXIT_OK
    assert out.splitlines()[0] == "一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施"
    assert "预算执行率,,,10.00,10.00（100.00%）,10.00,10.00," in out
    code, out, _ = run(capsys, "evaluate", str(seed_path), "--actuals", ACTUALS, "--format", "json",
                       "--policy", "reverse-linear")
    (evaluation,) = json.loads(out)
    assert evaluation["policy"] == "reverse-linear"
    code, _, err = run(capsys, "evaluate", str(seed_path), "--actuals", ACTUALS, "--policy", "nope")
    assert code == EXIT_BAD_INPUT
    assert "unknown policy 'nope'" in err


def test_evaluate_bad_actuals_exit_2(capsys, seed_path, tmp_path):
    """Actuals that name no indicator: exit 2 with the path, no traceback."""
    bad = tmp_path / "actuals.toml"
    bad.write_text(
        'schema_version = 1\n[[projects]]\nproject = "13063722P0041681003"\nspent = 9\n'
        '[projects.actuals]\n"不存在的指标" = "1"\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "evaluate", str(seed_path), "--actuals", str(bad))
    assert code == EXIT_BAD_INPUT
    assert "不存在的指标" in err
    assert "Traceback" not in err


def test_monitor_one_date(capsys, seed_path):
    """monitor with --spent and --as-of prints the summary and the monitoring table."""
    code, out, _ = run(capsys, "monitor", str(seed_path), "--spent", "4.0", "--as-of", "2022-07-31")
    assert code == EXIT_OK
    assert "执行/序时 68.57：黄" in out
    assert "年度预算数  截至当期执行数  执行率  全年预计执行数\n" in out  # no always-empty indicator columns


def test_monitor_month_by_month(capsys, seed_path):
    """--payments with --monthly gives one row per month end."""
    code, out, _ = run(capsys, "monitor", str(seed_path), "--payments", PAYMENTS, "--monthly", "--format", "csv")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0] == "日期,截至当期执行数,执行率,计划进度,序时进度,执行/序时,状态"
    assert len(lines) == 13
    assert lines[7].startswith("2022-07-31,4.00,40.00%,56.30%,58.33%,68.57,黄")


def test_monitor_usage(capsys, seed_path):
    """No hidden clock: --as-of is required; spent and payments are exclusive; outside the year is exit 2."""
    code, _, err = run(capsys, "monitor", str(seed_path), "--spent", "4")
    assert code == EXIT_BAD_INPUT
    assert "--as-of DATE is required" in err
    code, _, err = run(capsys, "monitor", str(seed_path), "--spent", "4", "--as-of", "2023-02-01")
    assert code == EXIT_BAD_INPUT
    assert "2023-02-01" in err


def test_convert_to_excel_and_back(capsys, seed_path, tmp_path):
    """convert handles .xlsx both ways, and show reads .xlsx."""
    book = tmp_path / "seed.xlsx"
    assert run(capsys, "convert", str(seed_path), str(book))[0] == EXIT_OK
    back = tmp_path / "back.toml"
    assert run(capsys, "convert", str(book), str(back))[0] == EXIT_OK
    assert pt.load(back) == pt.load(seed_path)
    code, out, _ = run(capsys, "show", str(book))
    assert code == EXIT_OK
    assert "工作日保障单位运转" in out


def test_monitor_indicators_file_fills_the_indicator_columns(capsys, seed_path, tmp_path):
    """--indicators FILE gives the values to date (the API's progress=); without it, only the money columns."""
    values = tmp_path / "values.toml"
    values.write_text(
        'project = "13063722P0041681003"\n[progress]\n"群众来访接待劝返率" = "93%"\n'
        '"上访人员满意度" = {value = "93%", cause = "人员保障", note = "问卷回收中"}\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "monitor", str(seed_path), "--spent", "4", "--as-of", "7月底",
                       "--indicators", str(values), "--format", "csv")
    assert code == EXIT_OK
    header, money, *lines = out.splitlines()
    assert header.split(",")[4:] == ["一级指标", "二级指标", "三级指标", "年度指标值", "截至当期完成值",
                                     "全年预计完成值", "完成目标可能性", "偏差原因分析", "备注"]
    assert money.startswith("10.00,4.00,40.00%,")
    assert lines[1].endswith("上访人员满意度,≥98%,93.00%,93.00%,有可能,人员保障,问卷回收中")
    code, out, _ = run(capsys, "monitor", str(seed_path), "--spent", "4", "--as-of", "7月底", "--format", "csv")
    assert out.splitlines() == ["年度预算数,截至当期执行数,执行率,全年预计执行数", "10.00,4.00,40.00%,7.10"]
    values.write_text('[progress]\n"上访人员满意度" = {value = "93%", why = "x"}\n', encoding="utf-8")
    code, _, err = run(capsys, "monitor", str(seed_path), "--spent", "4", "--as-of", "7月底", "--indicators", str(values))
    assert code == EXIT_BAD_INPUT
    assert f"{values}: progress['上访人员满意度']: unknown key 'why'" in err


def test_lang_en_is_english_throughout(capsys, seed_path):
    """--lang en on evaluate and monitor: headings, labels, summary and totals in English."""
    code, out, _ = run(capsys, "evaluate", str(seed_path), "--actuals", ACTUALS, "--lang", "en", "--format", "markdown")
    assert code == EXIT_OK
    assert "| Level 1 | Level 2 | Indicator | Annual target | Actual | Weight | Score |" in out
    assert "| output | quantity | 工作日保障单位运转 |" in out
    assert "| Budget execution rate |  |  | 10.00 | 9.20 (92.00%) | 10.00 | 9.20 |  |" in out
    assert "Total 94.23  Grade excellent  Budget execution rate 92.00%" in out
    for word in ("总分", "等级", "一级指标", "预算执行率"):
        assert word not in out
    code, out, _ = run(capsys, "monitor", str(seed_path), "--spent", "4", "--as-of", "7月底", "--lang", "en")
    assert "spent 4.00 of 10.00 (10k yuan): execution rate 40.00%" in out
    assert "ratio 68.57: yellow" in out
    assert "Budget  Spent to date  Execution rate  Forecast spending" in out
    code, out, _ = run(capsys, "monitor", str(seed_path), "--payments", PAYMENTS, "--monthly", "--lang", "en",
                       "--format", "csv")
    assert out.splitlines()[0] == "Date,Spent to date,Execution rate,Plan,Time progress,Ratio,Status"
    assert out.splitlines()[7].endswith(",yellow")


def test_check_counts_an_unreadable_file_as_an_error(capsys, seed_path, tmp_path):
    """A file check could not read is an error in the counts (it used to print 0 errors while exiting 2)."""
    bad = tmp_path / "bad.toml"
    bad.write_text("x = [\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(bad), str(seed_path), "--select", "PT5")
    assert code == EXIT_BAD_INPUT
    assert "  无法读取：" in out
    assert out.rstrip().endswith("1 个错误（其中 1 个文件无法读取），1 个警告，0 个提示")
    code, out, _ = run(capsys, "check", str(bad), "--lang", "en")
    assert out.rstrip().endswith("1 errors (1 file(s) could not be read), 0 warnings, 0 info")


def test_actuals_that_do_not_fit_are_blamed_on_the_actuals_file(capsys, seed_path, tmp_path):
    """An actual that cannot be scored names the actuals file (it said "document: ...")."""
    bad = tmp_path / "actuals.toml"
    bad.write_text(
        'schema_version = 1\n[[projects]]\nproject = "13063722P0041681003"\nspent = 9\n'
        '[projects.actuals]\n"群众来访接待劝返率" = "abc"\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "evaluate", str(seed_path), "--actuals", str(bad))
    assert code == EXIT_BAD_INPUT
    assert err.startswith(f"perftarget: error: {bad} (actuals for {seed_path}): ")
    assert "actual 'abc' is not a number" in err
    assert "document:" not in err


def test_folders_leave_companion_files_out(capsys, tmp_path):
    """show/check on a folder read the target tables only: X-actuals.toml, X-payments.toml are companions."""
    code, out, err = run(capsys, "show", "examples/")
    assert (code, err) == (EXIT_OK, "")
    assert out.count("已读取并校验") == 1
    for name in ("a.toml", "a.actuals.toml", "a-actuals.toml", "a_payments.json", "a-progress.toml",
                 "a.monitoring.json"):
        (tmp_path / name).write_text("x = [\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == EXIT_BAD_INPUT
    assert out.splitlines()[0] == str(tmp_path / "a.toml")
    assert "1 个错误（其中 1 个文件无法读取）" in out


def test_workbook_hints_name_the_command_line_options(capsys, seed_path, tmp_path):
    """A workbook error suggests --sheets (the option), not sheets= (the API's argument); --sheets works."""
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "seed.xlsx"
    assert run(capsys, "convert", str(seed_path), str(book))[0] == EXIT_OK
    workbook = openpyxl.load_workbook(book)
    titles = workbook.sheetnames
    workbook.create_sheet("杂项")["A1"] = "会议纪要"
    workbook.save(book)
    code, _, err = run(capsys, "show", str(book))
    assert code == EXIT_BAD_INPUT
    assert "give --sheets" in err
    assert "sheets=" not in err
    code, out, _ = run(capsys, "show", str(book), "--sheets", ",".join(titles))
    assert code == EXIT_OK
    assert "工作日保障单位运转" in out


def test_hints_name_no_api_argument(capsys, tmp_path):
    """A GBK file: the hint says how to convert it, not encoding= (an argument of the API only)."""
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('schema_version = 1\nnotes = "中文说明"\n'.encode("gb18030"))
    code, _, err = run(capsys, "show", str(gbk))
    assert code == EXIT_BAD_INPUT
    assert "iconv -f GB18030 -t UTF-8" in err
    assert "encoding=" not in err

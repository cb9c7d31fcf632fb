"""The whole flow on the seed: load, review, monitor at two dates, score a sample actuals file.

Run from the repository root:

    python examples/walkthrough.py

It prints what a finance bureau would look at: the review findings, the monitoring
table at the end of June and the end of July, and the self-evaluation with its total.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import perftarget as pt

HERE = Path(__file__).resolve().parent


def main() -> None:
    document = pt.load(HERE / "petition-bureau.toml")
    project = document.projects[0]
    print(f"{project.unit} / {project.code} {project.name}: {len(project.indicators)} indicator rows")
    print(f"budget {project.budget.total} 万元, plan:", ", ".join(
        f"{c.display_label} {c.percent}%" for c in project.schedule.checkpoints
    ) if project.schedule else "none")

    print("\n== review (审核)")
    for finding in pt.review(document):
        print(f"{finding.code} {finding.severity.value:<7} {finding.path}: {finding.message}")

    print("\n== monitoring (绩效运行监控)")
    payments = pt.load_payments(HERE / "petition-bureau-payments.toml")
    for as_of in (dt.date(2022, 6, 30), dt.date(2022, 7, 31)):
        report = pt.monitor(project, spent=payments, as_of=as_of)
        print(
            f"{as_of}: spent {report.spent:.2f} 万元, execution {report.execution_rate:.2f}% "
            f"vs plan {report.planned_share:.2f}% and time {report.time_progress:.2f}% -> "
            f"{report.status.value} ({report.status.english})"
        )

    print("\n== self-evaluation (绩效自评)")
    evaluation = pt.evaluate_document(document, HERE / "petition-bureau-actuals.toml").projects[0]
    for item in evaluation.items:
        if item.weight:
            print(f"{item.name}: {item.formula}")
    print(f"budget execution: {evaluation.budget_formula}")
    print(f"total {evaluation.display_total()}, grade {evaluation.grade.value} ({evaluation.grade.english})")


if __name__ == "__main__":
    main()

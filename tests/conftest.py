"""Suite-wide fixtures, and the CI guard: under ``CI=true`` a run fails when the Cypher lint, the
browser tests or the non-editable install test were skipped, or when they did not run at all."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
REQUIRED_ON_CI = ("cypher_lint", "browser", "wheel_install")

_outcomes: Counter[tuple[str, str]] = Counter()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real sister-city files, read in place and never copied into the project."""
    if not (SHARED_DATA / "sister_pairs.csv").exists():
        pytest.skip(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for marker in REQUIRED_ON_CI:
        if marker in report.keywords and (report.when == "call" or report.skipped):
            _outcomes[(marker, report.outcome)] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() != "true" or exitstatus not in (0, 1):
        return
    problems = []
    for marker in REQUIRED_ON_CI:
        if _outcomes[(marker, "skipped")]:
            problems.append(f"{_outcomes[(marker, 'skipped')]} '{marker}' test(s) were skipped")
        if not _outcomes[(marker, "passed")] and not _outcomes[(marker, "failed")]:
            problems.append(f"no '{marker}' test ran")
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "CI=true: " + "; ".join(problems) + ". This run counts as a failure.", red=True)
        session.exitstatus = 1

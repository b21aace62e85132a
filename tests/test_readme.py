"""The README's Quick start stays true: two commands, and CI runs the second one verbatim."""

import re

from conftest import ROOT


def quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.S | re.M).group(1)
    blocks = re.findall(r"```[^\n]*\n(.*?)```", section, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_quickstart_has_exactly_a_run_and_a_test_command():
    run, test = quickstart_commands()
    assert run.endswith("partner-graph demo")
    assert "pytest" in test


def test_ci_runs_the_readme_test_command():
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert quickstart_commands()[1] in ci_lines

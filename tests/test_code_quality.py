"""ruff and mypy, as configured in pyproject.toml, report nothing: part of the one test command, so
``.ci/run`` fails on a lint or type error like on any other failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent
LINTED = ["."]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_is_clean():
    result = run(str(BIN / "ruff"), "check", "--no-cache", *LINTED)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # mypy checks the whole package: seconds
def test_mypy_is_clean():
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout

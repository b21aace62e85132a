"""The README's backtest table shows the runs committed in ``docs/backtest/`` (``means.json``, from
``bench/backtest.py --runs``), figure for figure, and its target rows say what those runs say."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_rows() -> dict[str, list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("| group (n per seed) |")
    lines = text[start:].split("\n\n")[0].splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells
    return {"header": header, **rows}


def test_readme_backtest_table_matches_docs_backtest_means():
    means = json.loads((ROOT / "docs" / "backtest" / "means.json").read_text(encoding="utf-8"))
    assert means["seeds"] == [7, 1, 2]
    rows = readme_rows()
    methods = rows.pop("header")[1:]
    assert len(rows) == 4
    for label, cells in rows.items():
        group, ns = re.fullmatch(r"(\w+) \(([\d, ]+)\)", label).groups()
        mean = means["mean"][group]
        assert [int(n) for n in ns.split(", ")] == mean["n"], group
        for method, cell in zip(methods, cells[1:], strict=True):
            assert cell == f"{mean[method]['hits@20']:.3f} / {mean[method]['mrr']:.3f}", (group, method)


def test_readme_target_rows_say_what_the_runs_say():
    means = json.loads((ROOT / "docs" / "backtest" / "means.json").read_text(encoding="utf-8"))
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {key: next(line for line in text.splitlines() if line.startswith(prefix))
            for key, prefix in (("cn_hits@20", "| Chinese home cities:"), ("cold_mrr", "| cold-start cities:"),
                                ("all_hits@20", "| all cities, same-place"))}
    for key, line in rows.items():
        target = means["targets"][key]
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert f"{target['ratio']:.2f}×" == cells[3], (key, cells)
        assert cells[4].startswith("yes") == target["met"], (key, cells)

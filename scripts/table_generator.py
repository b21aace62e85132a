"""What the table generators in ``scripts/`` share: their command line, and writing the table where the package
reads it (``graph_service/resources/<name>``) in its committed form.

It takes only ``graph_service.resources`` (standard library alone) from the checkout it lives in, so a
generator's scratch virtualenv needs neither the project nor its dependencies.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from graph_service.resources import write_table  # noqa: E402  (the checkout's, not an installed copy)


def run(build: Callable[[], Mapping[str, str]], name: str, doc: str) -> None:
    """Parse ``--out`` (default: the package's ``name``), build the table and write it."""
    default = ROOT / "graph_service" / "resources" / name
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--out", type=Path, default=default, help=f"where to write (default: {default})")
    args = parser.parse_args()
    table = build()
    write_table(args.out, table)
    print(f"{len(table)} entries written to {args.out}", file=sys.stderr)

"""Time to first paint of the network views on the world dataset, in the system chromium.

Builds (or reuses, with ``--db``) a SQLite store with ``partner-graph geo`` and
``partner-graph import pairs ../shared/data/sister_pairs.csv``, serves it with the real app, and
opens in headless chromium:

- Shanghai's city page, whose ego network holds its partners (87 in the pairs file);
- the map view of every partnership of China (``/geo?country=CN``).

For each it reports the node and edge counts of the network, the server time to build the page
(the city page runs gaps and suggestions) and the network page, the network's first paint inside
its frame (``afterDrawing``: ms after the frame's navigation start, layout stabilisation included)
and the wall time from ``goto`` to the drawn network. Medians over ``--runs``. Prints one JSON
document.

    .venv/bin/python bench/ui.py [--db build/world.db] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.browser import CHROMIUM_ARGS, Watched, is_local, system_chromium  # noqa: E402
from tests.browser.server import cli, serve  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"


def build_world(db: Path) -> dict[str, float]:
    """Load geography and the pairs file into ``db`` unless it is already there; return the seconds taken."""
    if db.exists():
        return {}
    db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    cli(db, "geo", "--json", timeout=1800)
    geo_s = time.perf_counter() - started
    cli(db, "import", "pairs", str(PAIRS), "--json", timeout=1800)
    return {"geo_s": round(geo_s, 1), "pairs_s": round(time.perf_counter() - started - geo_s, 1)}


def find_city(db: Path, name: str, country: str) -> str:
    found = json.loads(cli(db, "find", name, "--country", country, "--json").stdout)
    return found[0]["id"]


def fetch(url: str) -> tuple[float, str]:
    """Milliseconds to fetch ``url``, and its body."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        html = response.read().decode()
    return (time.perf_counter() - started) * 1000, html


def server_ms(url: str) -> tuple[float, int, int]:
    """Time to fetch a network page, and the node and edge counts it carries."""
    elapsed, html = fetch(url)
    nodes = int(html.split('data-nodes="')[1].split('"')[0])
    edges = int(html.split('data-edges="')[1].split('"')[0])
    return elapsed, nodes, edges


def paint(context, url: str) -> dict[str, float]:
    watched = Watched.open(context)
    page = watched.page
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    frame = page.frame_locator("#network-frame")
    frame.locator('#mynetwork[data-drawn="1"]').wait_for(timeout=300_000)
    wall = (time.perf_counter() - started) * 1000
    first_paint = frame.locator("#mynetwork").evaluate("() => window.firstPaintMs")
    page.close()
    if watched.errors or watched.external():
        raise RuntimeError(f"console errors {watched.errors} or external requests {watched.external()}")
    return {"first_paint_ms": first_paint, "wall_ms": wall}


def measure(context, base: str, page_path: str, network_path: str, runs: int) -> dict[str, object]:
    fetched = [server_ms(base + network_path) for _ in range(runs)]
    pages = [fetch(base + page_path)[0] for _ in range(runs)]
    painted = [paint(context, base + page_path) for _ in range(runs)]
    return {
        "page": page_path,
        "nodes": fetched[0][1],
        "edges": fetched[0][2],
        "page_server_ms": round(statistics.median(pages), 1),
        "network_server_ms": round(statistics.median(f[0] for f in fetched), 1),
        "first_paint_ms": round(statistics.median(p["first_paint_ms"] for p in painted), 1),
        "wall_to_drawn_ms": round(statistics.median(p["wall_ms"] for p in painted), 1),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "build" / "bench-world.db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    chromium = system_chromium()
    if chromium is None:
        sys.exit("system chromium not found: apt-get install chromium")
    if not PAIRS.exists():
        sys.exit(f"pairs file not found: {PAIRS}")
    built = build_world(args.db)
    shanghai = find_city(args.db, "Shanghai", "CN")
    from playwright.sync_api import sync_playwright

    with serve(args.db, args.db.with_suffix(".log")) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(lambda url: not is_local(url), lambda route: route.abort())
        partners = len(
            json.loads(urllib.request.urlopen(f"{base}/api/v1/cities/{shanghai}/partners").read())["partners"]
        )
        report = {
            "store": str(args.db),
            "build": built,
            "chromium": chromium,
            "shanghai_ego": {
                "city": shanghai,
                "partners": partners,
                **measure(context, base, f"/city/{shanghai}", f"/network/city/{shanghai}", args.runs),
            },
            "china_geo": measure(context, base, "/geo?country=CN", "/network/geo?country=CN", args.runs),
        }
        browser.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

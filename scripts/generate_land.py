"""Rebuild ``graph_service/resources/land_50m.json``: the land outlines the map view draws under the ties.

The source is Natural Earth's 1:50m land polygons (public domain), as the npm package ``world-atlas``
2.0.2 redistributes them in TopoJSON (``land-50m.json``: land only, no national borders). This script
fetches that package with npm's own client, decodes the TopoJSON (quantized, delta-encoded arcs) into
rings of longitude and latitude, and writes them compactly:

- coordinates in hundredths of a degree (about 1 km, the resolution of a 1:50m map), each ring's
  first point absolute and every later point as the difference to the one before;
- consecutive points that round to the same place are dropped, and so are rings left with fewer
  than four points;
- world-atlas keeps spherical polygons, which cross the 180° meridian (Chukotka, Fiji) or go round a
  pole (Antarctica) without a cut. On a flat map each ring is unwrapped so its longitudes run on
  without a jump, a ring round a pole is closed along that pole, and a ring reaching past ±180° gets a
  copy shifted by 360°; the map clips its drawing to −180°…180°, so the two halves meet at the edge.

The map draws every ring into one canvas path filled with the even-odd rule, so lakes cut out of a
continent (the Caspian Sea) stay open water. Run it from the repository, with node and npm installed::

    .venv/bin/python scripts/generate_land.py        # then `git diff --stat` shows what changed

``--source FILE`` reads a ``land-50m.json`` already on disk instead of fetching the package.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/land-50m.json"
SCALE = 100
"""Stored units per degree."""
OUT = ROOT / "graph_service" / "resources" / "land_50m.json"

Ring = list[tuple[float, float]]


def fetch_topology(workdir: Path) -> dict[str, Any]:
    """``land-50m.json`` from the world-atlas package, fetched with ``npm pack``."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, capture_output=True)
    archive = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(archive) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{MEMBER} not found in {archive.name}")
        return json.load(member)


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc as absolute (lon, lat) points: TopoJSON arcs are quantized and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[Ring]) -> Ring:
    """A ring from its arc indexes; ``~i`` (a negative index) is arc ``i`` reversed. Consecutive arcs
    share their joining point, which is kept once."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def land_rings(topology: dict[str, Any]) -> list[Ring]:
    """Every ring (outer boundaries and holes) of the ``land`` object's polygons."""
    arcs = decode_arcs(topology)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            rings.extend(ring_points(ring, arcs) for ring in polygon)
    return rings


def unwrapped(ring: Ring) -> list[Ring]:
    """The ring on a flat map: longitudes without 360° jumps, closed along a pole it goes round, plus
    a copy shifted by 360° when it reaches past ±180°.

    >>> [[round(x) for x, _ in r] for r in unwrapped([(170, 60), (-170, 60), (-170, 70), (170, 70), (170, 60)])]
    [[170, 190, 190, 170, 170], [-190, -170, -170, -190, -190]]
    """
    flat: Ring = [ring[0]]
    offset = 0.0
    for (lon0, _), (lon1, lat1) in pairwise(ring):
        if lon1 - lon0 > 180:
            offset -= 360
        elif lon1 - lon0 < -180:
            offset += 360
        flat.append((lon1 + offset, lat1))
    if abs(flat[-1][0] - flat[0][0]) > 180:
        pole = -90.0 if sum(lat for _, lat in flat) < 0 else 90.0
        flat += [(flat[-1][0], pole), (flat[0][0], pole), flat[0]]
    rings = [flat]
    if max(lon for lon, _ in flat) > 180:
        rings.append([(lon - 360, lat) for lon, lat in flat])
    if min(lon for lon, _ in flat) < -180:
        rings.append([(lon + 360, lat) for lon, lat in flat])
    return rings


def encode(ring: Ring) -> list[int]:
    """``[x0, y0, dx1, dy1, …]`` in hundredths of a degree, repeated points dropped."""
    quantized: list[tuple[int, int]] = []
    for lon, lat in ring:
        point = (round(lon * SCALE), round(lat * SCALE))
        if not quantized or point != quantized[-1]:
            quantized.append(point)
    if len(quantized) < 4:
        return []
    flat = [*quantized[0]]
    for (x0, y0), (x1, y1) in pairwise(quantized):
        flat += [x1 - x0, y1 - y0]
    return flat


def build(topology: dict[str, Any]) -> dict[str, Any]:
    rings = [r for r in (encode(flat) for ring in land_rings(topology) for flat in unwrapped(ring)) if r]
    return {
        "source": f"Natural Earth 1:50m land (public domain), from the npm package {PACKAGE} ({MEMBER[8:]})",
        "scale": SCALE,
        "encoding": "per ring: x0, y0 (degrees × scale), then dx, dy to each next point",
        "rings": rings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--source", type=Path, help="a land-50m.json on disk instead of fetching the package")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default: {OUT})")
    args = parser.parse_args()
    if args.source:
        topology = json.loads(args.source.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            topology = fetch_topology(Path(tmp))
    land = build(topology)
    args.out.write_text(json.dumps(land, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) // 2 for r in land["rings"])
    print(f"{len(land['rings'])} rings, {points:,} points, {args.out.stat().st_size:,} bytes written to {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()

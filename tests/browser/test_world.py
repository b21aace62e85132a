"""The network views on the world dataset: GeoNames geography plus ../shared/data/sister_pairs.csv.

Shanghai's city page (87 partners in the pairs file) and the map of every partnership of China
must draw in chromium with a clean console and no request leaving localhost. Timing lives in
bench/ui.py; these tests only check that the pictures are there.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.server import cli, serve
from tests.browser.test_pages import assert_clean, pixel_spread, visit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def world(world_db, tmp_path_factory, chromium_path):
    """The session's world store (geography plus the shared pairs file), served read-only by these
    tests; yields (base URL, db path)."""
    with serve(world_db.path, tmp_path_factory.mktemp("world-log") / "server.log") as url:
        yield url, world_db.path


def test_shanghai_ego_network_renders_with_all_87_partners(world, watched, screenshots):
    base, db = world
    shanghai = json.loads(cli(db, "find", "Shanghai", "--country", "CN", "--json").stdout)[0]["id"]
    page = visit(watched, f"{base}/city/{shanghai}", network=True)
    assert page.locator("table.partners tr.partner").count() == 87
    frame = page.frame_locator("#network-frame")
    assert int(frame.locator("#mynetwork").get_attribute("data-nodes")) >= 88
    shot = page.locator("#network-frame").screenshot(path=str(screenshots / "network-shanghai.png"))
    assert pixel_spread(shot) > 5
    assert_clean(watched)


def test_map_of_all_partnerships_of_china_renders(world, watched, screenshots):
    base, _ = world
    page = visit(watched, f"{base}/geo?country=CN", network=True)
    frame = page.frame_locator("#network-frame")
    assert int(frame.locator("#mynetwork").get_attribute("data-edges")) > 2000
    shot = page.locator("#network-frame").screenshot(path=str(screenshots / "geo-china-world.png"))
    assert pixel_spread(shot) > 5
    assert_clean(watched)

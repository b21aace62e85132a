"""How the network pictures look: node colours by kind, edge styles by type, tier and status.

Sister cities are solid red, friendly-exchange cities dashed blue. A partnership still being
prepared (proposed, negotiating) is drawn with short dashes, a dormant one faded, an ended one grey.

>>> edge_style("SISTER_CITY", "active")["color"]["color"]
'#c0392b'
>>> edge_style("FRIENDLY_EXCHANGE", None)["dashes"]
[8, 6]
"""

from __future__ import annotations

from typing import Any

from graph_service.model import CityLevel, Node, NodeKind

KIND_COLOURS = {
    "City": "#2e86de",
    "Country": "#8395a7",
    "Region": "#c8d6e5",
    "Consulate": "#e15f41",
    "School": "#10ac84",
    "Enterprise": "#f39c12",
    "HonoraryCitizen": "#8e44ad",
    "Organization": "#a0522d",
    "Province": "#6c5ce7",
    "Group": "#636e72",
}
"""Node colours by kind, plus the province style (a City whose level is province) and the groups of
partners of partners."""
GROUP_COLOUR = KIND_COLOURS["Group"]

TIER_COLOURS = {"SISTER_CITY": "#c0392b", "FRIENDLY_EXCHANGE": "#2471a3"}
OTHER_EDGE_COLOUR = "#95a5a6"
DEMO_COLOUR = "#8e44ad"
"""An invented (demo) tie: purple dash-dot whatever its tier, so no picture shows it as a real tie."""
DEMO_DASHES = [10, 4, 2, 4]
EXCHANGE_COLOUR = "#27ae60"

_DASHES = {"SISTER_CITY": False, "FRIENDLY_EXCHANGE": [8, 6]}
_PREPARING = {"proposed", "negotiating"}


def node_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, "#576574")


def node_style(node: Node) -> dict[str, Any]:
    """Colour and shape of a node: a dot in its kind's colour; a province or state (a City at province
    level) a square, a region (continent, bloc) a diamond, so neither reads as a city.

    >>> node_style(Node(id="gx", kind="City", name="Guangxi", level="province"))["shape"]
    'square'
    """
    if node.kind is NodeKind.CITY and node.level is CityLevel.PROVINCE:
        return {"color": KIND_COLOURS["Province"], "shape": "square", "size": 16}
    if node.kind is NodeKind.REGION:
        return {"color": KIND_COLOURS["Region"], "shape": "diamond", "size": 16}
    return {"color": node_colour(node.kind.value), "shape": "dot"}


def edge_style(edge_type: str, status: str | None = None, demo: bool = False) -> dict[str, Any]:
    """vis-network edge options (colour, width, dashes) for one edge; a demo record's in purple dash-dot.

    >>> edge_style("SISTER_CITY", "active", demo=True)["dashes"]
    [10, 4, 2, 4]
    """
    if demo:
        return {"color": {"color": DEMO_COLOUR, "opacity": 0.9}, "width": 2, "dashes": list(DEMO_DASHES)}
    if edge_type in TIER_COLOURS:
        colour = TIER_COLOURS[edge_type]
        style: dict[str, Any] = {"color": {"color": colour, "opacity": 0.9},
                                 "width": 3 if edge_type == "SISTER_CITY" else 2, "dashes": _DASHES[edge_type]}
        if status in _PREPARING:
            style["dashes"] = [2, 5]
        elif status == "dormant":
            style["color"]["opacity"] = 0.35
        elif status == "ended":
            style["color"] = {"color": "#b2bec3", "opacity": 0.6}
            style["width"] = 1
        return style
    if edge_type == "EXCHANGE":
        return {"color": {"color": EXCHANGE_COLOUR, "opacity": 0.8}, "width": 1.5, "dashes": [4, 4]}
    return {"color": {"color": OTHER_EDGE_COLOUR, "opacity": 0.6}, "width": 1, "dashes": [2, 3]}

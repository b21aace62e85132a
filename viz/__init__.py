"""Network pictures for planners: pyvis builders and the offline HTML templates they render with.

The templates (``viz/templates/network.html`` and, for the map, ``geo.html``; both extend
``_page.html``) load vis-network from the app's own ``/static/vis`` route (the copy shipped inside
the pyvis package), so a network page never reaches the internet.
pyvis's stock template pulls Bootstrap from a CDN; it is never used.

>>> from graph_service.model import Node, Edge, Subgraph
>>> sub = Subgraph(nodes=[Node(id="a", kind="City", name="A"), Node(id="b", kind="City", name="B")],
...                edges=[Edge(src="a", dst="b", type="SISTER_CITY", status="active")])
>>> html = render(ego_network(sub, centre="a"))
>>> "cdn" in html.lower(), "new vis.Network" in html
(False, True)
"""

from viz.ego import ego_network
from viz.geo import geo_network
from viz.network import country_network, render
from viz.styles import KIND_COLOURS, TIER_COLOURS, edge_style

__all__ = ["KIND_COLOURS", "TIER_COLOURS", "country_network", "edge_style", "ego_network", "geo_network", "render"]

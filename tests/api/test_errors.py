"""Store errors map to the HTTP status a client can act on."""

from graph_service.api.errors import store_error_status
from graph_service.store.base import MissingNodes
from graph_service.store.neo4j import StoreUnavailable


def test_an_unreachable_database_is_503_not_a_client_error():
    assert store_error_status(StoreUnavailable("Neo4j unavailable: Couldn't connect")) == (503, "store_unavailable")


def test_missing_endpoint_is_422():
    assert store_error_status(MissingNodes(["ghost"])) == (422, "missing_nodes")

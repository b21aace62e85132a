"""Bad input on the Neo4j adapter, through the recording driver: refused with a clear message and
nothing written; injection strings travel only as parameter values, never as statement text."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from graph_service.errors import MissingNodes
from graph_service.model import Edge, Node

from .recording_driver import RecordingDriver

DATA_WRITES = {"upsert_nodes", "upsert_edges", "delete_nodes", "delete_edges", "delete_all_nodes", "save_api_key"}


def nothing_written(driver: RecordingDriver) -> bool:
    """No data statement was sent, or every transaction that sent one was rolled back."""
    committed = [c for t in driver.transactions if t.outcome == "committed" for c in t.calls]
    return not any(c.name in DATA_WRITES for c in committed + driver.direct)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"kind": "Planet"}, "kind"),
        ({"lat": 91, "lon": 0}, "less than or equal to 90"),
        ({"country": "XX1"}, "invalid country code"),
        ({"id": ""}, "invalid id"),
        ({"name": "Nan\x00ning"}, "control characters"),
        ({"name": "Nan\x1bning"}, "control characters"),
        ({"alt_names": ["ok", "bell\x07"]}, "control characters"),
        ({"notes": "x" * (10 * 1024 * 1024)}, "the limit is"),
    ],
    ids=["unknown-kind", "lat-91", "country-XX1", "empty-id", "nul", "escape", "bell-in-list", "10MB"],
)
def test_bad_nodes_never_reach_the_driver(store, driver, bad, message):
    record = {"id": "a", "kind": "City", "name": "Nanning", "country": "CN"} | bad
    with pytest.raises(ValidationError, match=message):
        store.upsert_nodes([Node.model_validate(record)])
    assert driver.calls == [] and driver.transactions == []


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "ENEMY_OF"},
        {"src": ""},
        {"notes": "x" * (10 * 1024 * 1024)},
        {"notes": "a\x00b"},
        {"since": "last year"},
    ],
    ids=["unknown-type", "empty-id", "10MB", "nul", "bad-date"],
)
def test_bad_edges_never_reach_the_driver(store, driver, bad):
    with pytest.raises(ValidationError):
        store.upsert_edges([Edge.model_validate({"src": "a", "dst": "b", "type": "SISTER_CITY"} | bad)])
    assert driver.calls == []


def test_missing_endpoint_writes_nothing(store, driver):
    driver.responses["node_kinds"] = lambda d, p: [{"id": "a", "kind": "City"}] if "a" in p["ids"] else []
    with pytest.raises(MissingNodes, match="edge endpoint\\(s\\) not found: ghost"):
        store.upsert_edges([Edge(src="a", dst="ghost", type="SISTER_CITY")])
    assert nothing_written(driver)
    assert [t.outcome for t in driver.transactions] == ["rolled back"]


INJECTIONS = [
    "'; DROP TABLE node;--",
    "})-[:X]->() DETACH DELETE n //",
    "Robert'); MATCH (n) DETACH DELETE n; //",
    "$rows} RETURN 1 //",
    "__LABEL__`) DETACH DELETE n //",
]


def values(obj):
    """Every string inside a parameter structure."""
    if isinstance(obj, dict):
        for value in obj.values():
            yield from values(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from values(value)
    elif isinstance(obj, str):
        yield obj


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_travel_only_as_parameters(store, driver, text):
    driver.responses["node_kinds"] = lambda d, p: [{"id": i, "kind": "City"} for i in p["ids"]]
    driver.responses["delete_nodes"] = lambda d, p: [{"ids": p["ids"]}]  # so the delete is audited
    store.upsert_nodes([Node(id="a", kind="City", name=text, alt_names=[text], notes=text, attrs={"motto": text})])
    store.upsert_edges([Edge(src="a", dst="b", type="SISTER_CITY", notes=text, title=text)])
    store.find_nodes(text)
    store.delete_nodes([text])
    store.delete_edges([text, f"a|SISTER_CITY|{text}", "b|SISTER_CITY|a"])

    sent = driver.calls
    assert sent and all(call.name is not None for call in sent), "every text sent is a statement from cypher/"
    assert not any(text in call.text for call in sent)
    node_row = next(c for c in sent if c.name == "upsert_nodes").params["rows"][0]
    assert (
        node_row["name"] == text
        and node_row["alt_names"] == [text]
        and json.loads(node_row["attrs"]) == {"motto": text}
    )
    assert next(c for c in sent if c.name == "upsert_edges").params["rows"][0]["notes"] == text
    assert next(c for c in sent if c.name == "delete_nodes").params == {"ids": [text]}
    deleted = set(values([c.params for c in sent if c.name == "delete_edges"]))
    assert "a|SISTER_CITY|b" in deleted, "a well-formed id travels as a parameter, ends in canonical order"
    assert f"a|SISTER_CITY|{text}" not in deleted, "an id that breaks the id rules cannot exist and is not sent"
    audit_summaries = [json.loads(c.params["summary"]) for c in sent if c.name == "append_audit"]
    assert [text] in [summary.get("ids") for summary in audit_summaries]

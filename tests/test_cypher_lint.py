"""Lint every statement in cypher/ with Neo4j's own ``@neo4j-cypher/language-support``.

Each statement is linted in every form it can run in (each ``__LABEL__`` / ``__TYPE__`` template
filled with every member of its closed set), against a schema of the known labels and relationship
types and only the statement's declared parameters. Zero diagnostics are allowed: errors and
warnings alike. ``tests/lint/fixtures/broken.cypher`` proves the lint fails on bad statements.

Needs node and ``npm ci`` (``scripts/setup.sh --test`` runs it); skipped otherwise, and a
``CI=true`` run then fails (tests/conftest.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graph_service.model import EdgeType, NodeKind
from graph_service.store import cypher

pytestmark = [pytest.mark.cypher_lint, pytest.mark.slow]  # starting node and the language service takes seconds

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "tests" / "lint" / "lint_cypher.mjs"
BROKEN = ROOT / "tests" / "lint" / "fixtures" / "broken.cypher"
PACKAGE = ROOT / "node_modules" / "@neo4j-cypher" / "language-support"
LABELS = [*NodeKind, "Node", "Meta", "AuditEntry", "Change", "ApiKey", "Session", "ColumnMapping"]
"""Every label a statement may name: the node kinds, the common :Node and the bookkeeping labels."""

UNDECLARED = cypher.Statement("undeclared", "MATCH (n:Node {id: $ghost}) RETURN n.id AS id", (), "inline")


def runnable_forms(statements) -> list[dict]:
    return [
        {"id": f"{s.source}:{s.name}[{member}]", "text": text, "params": list(s.params)}
        for s in statements
        for member, text in s.variants().items()
    ]


@pytest.fixture(scope="module")
def diagnostics() -> dict[str, list[dict]]:
    """Diagnostics by statement id, for cypher/, the broken fixture and the undeclared parameter."""
    if shutil.which("node") is None:
        pytest.skip("Cypher lint skipped: node is not installed (install node and npm, then scripts/setup.sh --test)")
    if not PACKAGE.is_dir():
        pytest.skip("Cypher lint skipped: node_modules is missing; run scripts/setup.sh --test (it runs npm ci)")
    broken = cypher.parse(BROKEN.name, BROKEN.read_text(encoding="utf-8"))
    request = {
        "labels": LABELS,
        "relationshipTypes": list(EdgeType),
        "statements": runnable_forms([*cypher.load().values(), *broken, UNDECLARED]),
    }
    done = subprocess.run(
        ["node", str(LINTER)], input=json.dumps(request), capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return {item["id"]: item["diagnostics"] for item in json.loads(done.stdout)}


def test_every_statement_in_cypher_lints_clean(diagnostics):
    project = {key: found for key, found in diagnostics.items() if not key.startswith(("broken.cypher:", "inline:"))}
    expected = {form["id"] for form in runnable_forms(cypher.load().values())}
    assert set(project) == expected
    assert len(project) > len(cypher.STATEMENTS) >= 30
    problems = {key: [d["message"] for d in found] for key, found in project.items() if found}
    assert problems == {}


def test_every_template_is_linted_for_every_member(diagnostics):
    assert {f"nodes.cypher:upsert_nodes[{kind}]" for kind in NodeKind} <= set(diagnostics)
    assert {f"edges.cypher:upsert_edges[{edge_type}]" for edge_type in EdgeType} <= set(diagnostics)
    assert {f"schema.cypher:edge_id_unique[{edge_type}]" for edge_type in EdgeType} <= set(diagnostics)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unclosed_node_pattern", "Invalid input"),
        ("undefined_variable", "Variable `m` not defined"),
        ("label_outside_the_closed_set", "Label Planet is not present"),
        ("sql_smuggled_in", "Invalid input 'DROP'"),
        ("aggregate_hides_variable", "not possible to access variables"),
    ],
)
def test_broken_fixture_fails_the_lint(diagnostics, name, expected):
    messages = [d["message"] for d in diagnostics[f"broken.cypher:{name}[]"]]
    assert any(expected in message for message in messages), messages


def test_an_undeclared_parameter_is_flagged(diagnostics):
    assert [d["message"] for d in diagnostics["inline:undeclared[]"]] == ["Parameter $ghost is not defined."]


def test_statement_headers_must_declare_exactly_the_parameters_used():
    with pytest.raises(ValueError, match="declares params"):
        cypher.parse("inline", "// name: sneaky\n// params: id\nMATCH (n:Node {id: $id, name: $name}) RETURN n")

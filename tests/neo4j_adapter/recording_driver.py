"""A recording stand-in for the ``neo4j`` Driver, Session and ManagedTransaction interface.

It records every statement the adapter sends (text, parameters, database, routing, transaction)
and answers with canned records, so tests can assert the shape of what ``Neo4jStore`` sends
without a server. It does not run Cypher: what a statement does is checked by the Cypher lint and
by the live contract suite.

>>> driver = RecordingDriver()
>>> driver.execute_query("RETURN 1", {}, database_="neo4j")[0]
[]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from neo4j import READ_ACCESS, WRITE_ACCESS, RoutingControl

from graph_service.store.cypher import STATEMENTS

STATEMENT_NAMES = {text: name for name, s in STATEMENTS.items() for text in s.variants().values()}
"""Every runnable statement text (each template variant) mapped to its statement's name."""

Responder = Callable[["RecordingDriver", dict[str, Any]], list[dict[str, Any]]]


@dataclass
class Call:
    """One statement sent: ``name`` is None when the text is not one of ``cypher/``'s statements."""

    name: str | None
    text: str
    params: dict[str, Any]
    database: str | None
    routing: str
    transaction: Transaction | None = None
    order: int = 0


@dataclass
class Transaction:
    routing: str
    database: str | None
    outcome: str = "open"
    calls: list[Call] = field(default_factory=list)


class _Result(list):
    """Records as plain dicts; the adapter only indexes them by key."""


class RecordingTx:
    def __init__(self, driver: RecordingDriver, record: Transaction):
        self._driver, self._record = driver, record

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kwparameters: Any) -> _Result:
        params = dict(parameters or {}, **kwparameters)
        call = Call(
            STATEMENT_NAMES.get(query), query, params, self._record.database, self._record.routing, self._record
        )
        self._record.calls.append(call)
        return self._driver._answer(call)


class RecordingSession:
    def __init__(self, driver: RecordingDriver, database: str | None, access_mode: str):
        self._driver, self._database, self._access_mode = driver, database, access_mode

    def __enter__(self) -> RecordingSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _transaction(self, routing: str, work: Callable, args: tuple, kwargs: dict) -> Any:
        record = Transaction(routing, self._database)
        self._driver.transactions.append(record)
        try:
            result = work(RecordingTx(self._driver, record), *args, **kwargs)
        except BaseException:
            record.outcome = "rolled back"
            raise
        record.outcome = "committed"
        return result

    def execute_write(self, work: Callable, *args: Any, **kwargs: Any) -> Any:
        return self._transaction("w", work, args, kwargs)

    def execute_read(self, work: Callable, *args: Any, **kwargs: Any) -> Any:
        return self._transaction("r", work, args, kwargs)

    def close(self) -> None:
        return None


class RecordingDriver:
    """Records calls; ``responses`` maps a statement name to a function of its parameters."""

    def __init__(self, responses: dict[str, Responder] | None = None):
        self.responses = {**DEFAULT_RESPONSES, **(responses or {})}
        self.direct: list[Call] = []
        self.transactions: list[Transaction] = []
        self.sessions: list[tuple[str | None, str]] = []
        self.closed = False
        self.revision = 0
        self._sent = 0

    def execute_query(
        self,
        query_: str,
        parameters_: dict[str, Any] | None = None,
        routing_: RoutingControl = RoutingControl.WRITE,
        database_: str | None = None,
        **kwargs: Any,
    ) -> tuple[list[dict[str, Any]], None, list[str]]:
        params = dict(parameters_ or {}, **{k: v for k, v in kwargs.items() if not k.endswith("_")})
        call = Call(STATEMENT_NAMES.get(query_), query_, params, database_, RoutingControl(routing_).value)
        self.direct.append(call)
        records = self._answer(call)
        return records, None, list(records[0]) if records else []

    def session(self, database: str | None = None, default_access_mode: str = WRITE_ACCESS, **config: Any):
        self.sessions.append((database, default_access_mode))
        return RecordingSession(self, database, "r" if default_access_mode == READ_ACCESS else "w")

    def verify_connectivity(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    # -- what was sent ---------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        """Every call, direct and in transactions, in the order sent."""
        in_tx = [call for tx in self.transactions for call in tx.calls]
        return sorted(self.direct + in_tx, key=lambda call: call.order)

    def names(self) -> list[str | None]:
        return [call.name for call in self.calls]

    def _answer(self, call: Call) -> _Result:
        self._sent += 1
        call.order = self._sent
        if call.name == "bump_revision":
            self.revision += 1
        responder = self.responses.get(call.name)
        return _Result(responder(self, call.params) if responder else [])


DEFAULT_RESPONSES: dict[str, Responder] = {
    "bump_revision": lambda d, p: [{"revision": d.revision}],
    "revision": lambda d, p: [{"revision": d.revision}],
    "append_audit": lambda d, p: [{"seq": p["revision"]}],
    "schema_version": lambda d, p: [{"version": 0}],
    "set_schema_version": lambda d, p: [{"version": p["version"]}],
    "upsert_nodes": lambda d, p: [{"written": len(p["rows"])}],
    "upsert_edges": lambda d, p: [{"written": len(p["rows"])}],
    "node_edge_ids": lambda d, p: [{"ids": []}],
    "delete_nodes": lambda d, p: [{"ids": []}],
    "delete_edges": lambda d, p: [{"ids": []}],
    "delete_all_nodes": lambda d, p: [{"deleted": 0}],
}
"""Answers that keep the adapter's bookkeeping going; tests override what they examine."""

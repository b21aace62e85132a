"""Every error partner-graph raises on purpose, in one hierarchy.

A message is written for the user who caused it. Front ends map classes, never names: the API turns
each class into an HTTP status (``graph_service.api.errors.STATUS``), the web UI into a message
page, the CLI into a red line and exit code 1. ``details()`` carries what a client may act on
(the candidates of an ambiguous name, the problems of an invalid file).

    PartnerGraphError
    ├── NotFound (404)                 ── KeyNotFound
    ├── Ambiguous (409)
    ├── Conflict (409)                 ── KindConflict
    ├── InvalidInput (422)             ── MissingNodes, WrongEndpointKind, OutsideClosedSet,
    │                                     StrategyError, InvalidFile ── GraphFileError, PairsFileError
    ├── Unauthorized (401), Forbidden (403)
    └── StoreError (400)               ── StoreUnavailable (503)

>>> issubclass(MissingNodes, InvalidInput), str(MissingNodes(["b", "a"]))
(True, 'edge endpoint(s) not found: a, b')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph_service.model import Node


class PartnerGraphError(Exception):
    """Base of every deliberate error; ``str(error)`` is the message for the user."""

    @property
    def summary(self) -> str:
        """The message's first line (multi-line messages list problems that ``details`` also holds)."""
        return str(self).split("\n", 1)[0]

    def details(self) -> dict[str, Any] | None:
        """Structured facts behind the message, for API clients; None when the message says it all."""
        return None


class NotFound(PartnerGraphError, LookupError):
    """No node, edge or record matches the id or name given."""


class KeyNotFound(NotFound):
    """No API key record has this id."""


class Ambiguous(PartnerGraphError, LookupError):
    """A name matches several nodes equally well; ``candidates`` lists them."""

    def __init__(self, text: str, candidates: Sequence[Node]):
        self.candidates = list(candidates)
        listed = "; ".join(
            f"{n.id} ({n.name}, {n.country or '?'}{', ' + n.admin1 if n.admin1 else ''})" for n in self.candidates
        )
        super().__init__(f"{text!r} is ambiguous; use an id or --country. Candidates: {listed}")

    def details(self) -> dict[str, Any]:
        return {"candidates": [{"id": n.id, "name": n.name, "country": n.country} for n in self.candidates]}


class Conflict(PartnerGraphError):
    """The request contradicts what is stored."""


class KindConflict(Conflict, ValueError):
    """An upsert would change the kind of an existing node. Nothing was written."""


class InvalidInput(PartnerGraphError, ValueError):
    """Input that breaks a rule of the domain. Nothing was written."""


class MissingNodes(InvalidInput):
    """An edge names a node that does not exist. Nothing was written."""

    def __init__(self, missing: Iterable[str]):
        self.missing = sorted(set(missing))
        shown = ", ".join(self.missing[:10]) + (" …" if len(self.missing) > 10 else "")
        super().__init__(f"edge endpoint(s) not found: {shown}")

    def details(self) -> dict[str, Any]:
        return {"missing": list(self.missing)}


class WrongEndpointKind(InvalidInput):
    """An edge joins nodes of kinds its type does not allow. Nothing was written."""


class OutsideClosedSet(InvalidInput):
    """A node kind or edge type outside the closed sets reached a store. Nothing was sent."""


class StrategyError(InvalidInput):
    """A strategy name that does not exist, or a profile file that does not validate.

    ``known`` lists the shipped profiles when the name was unknown.
    """

    def __init__(self, message: str, known: Sequence[str] = ()):
        self.known = list(known)
        super().__init__(message)

    def details(self) -> dict[str, Any] | None:
        return {"known": self.known} if self.known else None


class InvalidFile(InvalidInput):
    """An uploaded or imported file that cannot be read as its format; ``problems`` lists why."""

    def __init__(self, message: str, problems: Sequence[str] | None = None):
        self.problems = list(problems or [])
        detail = "".join(f"\n  - {p}" for p in self.problems[:20])
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(message + detail + more)

    def details(self) -> dict[str, Any]:
        return {"problems": self.problems[:200]}


class GraphFileError(InvalidFile):
    """The file is not a valid graph JSON; nothing was imported."""


class PairsFileError(InvalidFile):
    """The file cannot be read as a pairs CSV at all; nothing was written."""


class Unauthorized(PartnerGraphError):
    """The request needs an API key, or the key given is unknown or revoked."""


class Forbidden(PartnerGraphError):
    """The key is valid but its role does not allow the request."""


class StoreError(PartnerGraphError):
    """The store refused or failed a request for a reason the user can act on."""


class StoreUnavailable(StoreError):
    """The store (a Neo4j server, say) could not be reached or refused the session."""

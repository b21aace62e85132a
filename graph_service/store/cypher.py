"""Named Cypher statements loaded from ``cypher/*.cypher``, and the only place labels are spliced.

The files reach the installed package as ``graph_service/resources/cypher`` (see ``graph_service.resources``).

A file holds one or more statements, each opened by a header of ``//`` comments::

    // name: node_kinds
    // params: ids
    UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN n.id AS id, n.kind AS kind

``params`` lists every ``$parameter`` the statement uses (checked on load, passed to the linter).
A statement may hold the placeholder ``__LABEL__`` (a ``NodeKind``) or ``__TYPE__`` (an
``EdgeType``); ``Statement.render`` fills it only with a member of that closed set, so no user text
ever becomes a label or a relationship type.

>>> STATEMENTS["node_kinds"].params
('ids',)
>>> STATEMENTS["upsert_nodes"].render(NodeKind.CITY).count(":City")
1
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable

from graph_service.model import EdgeType, NodeKind
from graph_service.resources import cypher_dir, files_with_suffix
from graph_service.store.base import OutsideClosedSet

PLACEHOLDERS: dict[str, type[NodeKind] | type[EdgeType]] = {"__LABEL__": NodeKind, "__TYPE__": EdgeType}
"""Each template placeholder and the closed set whose members may fill it."""

_HEADER_RE = re.compile(r"^//\s*(name|params):\s*(.*?)\s*$")
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LINE_COMMENT_RE = re.compile(r"//[^\n]*")


@dataclass(frozen=True)
class Statement:
    """One named statement: its source text, declared parameters and template placeholder, if any."""

    name: str
    text: str
    params: tuple[str, ...]
    source: str

    @property
    def placeholder(self) -> str | None:
        found = [p for p in PLACEHOLDERS if p in self.text]
        return found[0] if found else None

    def render(self, member: NodeKind | EdgeType | None = None) -> str:
        """The runnable text: the placeholder, if any, filled with ``member`` after a membership check."""
        placeholder = self.placeholder
        if placeholder is None:
            if member is not None:
                raise ValueError(f"statement {self.name} takes no label or type")
            return self.text
        closed_set = PLACEHOLDERS[placeholder]
        if not isinstance(member, closed_set):
            raise OutsideClosedSet(
                f"{str(member)[:40]!r} is not a {closed_set.__name__}; allowed: {', '.join(closed_set)}"
            )
        return self.text.replace(placeholder, member.value)

    def variants(self) -> dict[str, str]:
        """Every runnable form, by the member filling the placeholder (``""`` when there is none)."""
        placeholder = self.placeholder
        if placeholder is None:
            return {"": self.text}
        return {member.value: self.render(member) for member in PLACEHOLDERS[placeholder]}


def parse(source: str, text: str) -> list[Statement]:
    """Split a ``.cypher`` file into its named statements and check each one's declared parameters."""
    statements: list[Statement] = []
    header: dict[str, str] = {}
    body: list[str] = []

    def flush() -> None:
        if "name" not in header:
            if _LINE_COMMENT_RE.sub("", "\n".join(body)).strip():
                raise ValueError(f"{source}: statement text before the first '// name:' header")
            return
        statement_text = "\n".join(body).strip().removesuffix(";").strip()
        params = tuple(p for p in re.split(r"[,\s]+", header.get("params", "")) if p)
        used = set(_PARAM_RE.findall(_LINE_COMMENT_RE.sub("", statement_text)))
        if used != set(params):
            raise ValueError(
                f"{source}: statement {header['name']} declares params {sorted(params)} but uses {sorted(used)}"
            )
        statements.append(Statement(header["name"], statement_text, params, source))

    for line in text.splitlines():
        match = _HEADER_RE.match(line.strip())
        if match and match.group(1) == "name":
            flush()
            header, body = {"name": match.group(2)}, []
        elif match and not body:
            header[match.group(1)] = match.group(2)
        else:
            body.append(line)
    flush()
    return statements


def load(directory: Traversable | None = None) -> dict[str, Statement]:
    """Every statement of every ``*.cypher`` file in ``directory`` (the shipped ones by default), by name.

    Names are unique across files.
    """
    found: dict[str, Statement] = {}
    for path in files_with_suffix(directory or cypher_dir(), ".cypher"):
        for statement in parse(path.name, path.read_text(encoding="utf-8")):
            if statement.name in found:
                first = found[statement.name].source
                raise ValueError(f"statement {statement.name} defined in {first} and {path.name}")
            found[statement.name] = statement
    return found


STATEMENTS = load()

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
    │                                     StrategyError, InvalidFields,
    │                                     InvalidFile ── GraphFileError, PairsFileError
    ├── Unauthorized (401), Forbidden (403) ── CsrfRefused
    ├── TooBusy (429)
    └── StoreError (400)               ── StoreFull (507), StoreUnavailable (503) ── StoreReadOnly,
                                          StoreLocked

Every error has a Chinese message too (``message("zh")``): the one given as ``zh=`` where it was
raised, else its class's ``ZH`` sentence, so the API and the pages answer a Chinese user in Chinese.

>>> issubclass(MissingNodes, InvalidInput), str(MissingNodes(["b", "a"]))
(True, 'edge endpoint(s) not found: a, b')
>>> NotFound("no city named 'X'", zh="没有名为“X”的城市").message("zh"), Forbidden("no").message("zh")
('没有名为“X”的城市', '此密钥的角色无权执行该操作。')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from graph_service.model import Node


class PartnerGraphError(Exception):
    """Base of every deliberate error; ``str(error)`` is the message for the user, ``message(lang)``
    the message in English or Chinese."""

    ZH: ClassVar[str] = "请求无法完成。"
    """The Chinese message of the class, for errors raised without a ``zh=`` text of their own."""

    def __init__(self, *args: object, zh: str | None = None):
        super().__init__(*args)
        self.zh = zh

    def message(self, lang: str = "en") -> str:
        """The message's first line in English, or the Chinese message for ``lang="zh"``."""
        return (self.zh or self.ZH) if lang == "zh" else self.summary

    @property
    def summary(self) -> str:
        """The message's first line (multi-line messages list problems that ``details`` also holds)."""
        return str(self).split("\n", 1)[0]

    def details(self) -> dict[str, Any] | None:
        """Structured facts behind the message, for API clients; None when the message says it all."""
        return None


class NotFound(PartnerGraphError, LookupError):
    """No node, edge or record matches the id or name given."""

    ZH = "未找到所请求的记录。"


class KeyNotFound(NotFound):
    """No API key record has this id."""

    ZH = "没有这个编号的 接口密钥。"


class Ambiguous(PartnerGraphError, LookupError):
    """A name matches several nodes equally well; ``candidates`` lists them."""

    def __init__(self, text: str, candidates: Sequence[Node]):
        self.candidates = list(candidates)
        listed = "; ".join(
            f"{n.id} ({n.name}, {n.country or '?'}{', ' + n.admin1 if n.admin1 else ''})" for n in self.candidates
        )
        listed_zh = ";".join(f"{n.id}({n.name_zh or n.name},{n.country or '?'})" for n in self.candidates)
        super().__init__(f"{text!r} is ambiguous; use an id or --country. Candidates: {listed}",
                         zh=f"“{text}”对应多个地点,请使用编号或指定国家。候选:{listed_zh}")

    def details(self) -> dict[str, Any]:
        return {"candidates": [{"id": n.id, "name": n.name, "country": n.country} for n in self.candidates]}


class Conflict(PartnerGraphError):
    """The request contradicts what is stored."""

    ZH = "请求与已存数据冲突,未作任何修改。"


class KindConflict(Conflict, ValueError):
    """An upsert would change the kind of an existing node. Nothing was written."""


class InvalidInput(PartnerGraphError, ValueError):
    """Input that breaks a rule of the domain. Nothing was written."""

    ZH = "输入无效,未作任何修改。"


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field of a form or record: a ``code`` (``required``, ``bad_date`` …)
    and its ``params``, which front ends render in the user's language, plus the English ``message``."""

    field: str
    code: str
    message: str
    params: Mapping[str, Any] = dc_field(default_factory=dict)


class InvalidFields(InvalidInput):
    """Fields of a form or record that break a rule, one ``FieldProblem`` each. Nothing was written.

    >>> str(InvalidFields([FieldProblem("since", "bad_date", "not a date")]))
    'since: not a date'
    """

    def __init__(self, problems: Sequence[FieldProblem]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems) or "invalid input")

    def message(self, lang: str = "en") -> str:
        """Every field's problem, in English or (``lang="zh"``) Chinese."""
        from graph_service.i18n import problem_text  # the words live with the other UI words

        return "; ".join(f"{p.field}: {problem_text(p, 'zh' if lang == 'zh' else 'en')}" for p in self.problems)

    def details(self) -> dict[str, Any]:
        return {"fields": [{"field": p.field, "code": p.code, "message": p.message, "params": dict(p.params)}
                           for p in self.problems]}


class MissingNodes(InvalidInput):
    """An edge names a node that does not exist. Nothing was written."""

    def __init__(self, missing: Iterable[str]):
        self.missing = sorted(set(missing))
        shown = ", ".join(self.missing[:10]) + (" …" if len(self.missing) > 10 else "")
        super().__init__(f"edge endpoint(s) not found: {shown}", zh=f"关系的端点不存在:{shown}")

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

    def __init__(self, message: str, known: Sequence[str] = (), *, zh: str | None = None):
        self.known = list(known)
        super().__init__(message, zh=zh or "策略方案无效。")

    def details(self) -> dict[str, Any] | None:
        return {"known": self.known} if self.known else None


class InvalidFile(InvalidInput):
    """An uploaded or imported file that cannot be read as its format; ``problems`` lists why."""

    ZH = "文件无法读取,未导入任何内容。"

    def __init__(self, message: str, problems: Sequence[str] | None = None, *, zh: str | None = None):
        self.problems = list(problems or [])
        detail = "".join(f"\n  - {p}" for p in self.problems[:20])
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(message + detail + more, zh=zh)

    def details(self) -> dict[str, Any]:
        return {"problems": self.problems[:200]}


class GraphFileError(InvalidFile):
    """The file is not a valid graph JSON; nothing was imported."""


class PairsFileError(InvalidFile):
    """The file cannot be read as a pairs CSV at all; nothing was written."""


class Unauthorized(PartnerGraphError):
    """The request needs an API key, or the key given is unknown or revoked."""

    ZH = "需要有效的 接口密钥(密钥缺失、无效或已被吊销)。"


class Forbidden(PartnerGraphError):
    """The key is valid but its role does not allow the request."""

    ZH = "此密钥的角色无权执行该操作。"


class CsrfRefused(Forbidden):
    """A web form post without this visitor's form token, or sent from another site or origin.

    Nothing was changed. The browser shows the form again from the page to get a fresh token.
    """

    ZH = "表单未被接受:表单已过期,或来自其他网站。未作任何修改。"


class TooBusy(PartnerGraphError):
    """Too many requests of one costly kind (whole-graph exports) are running; try again shortly."""

    ZH = "同时进行的导出过多,请稍后再试。"

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message)
        self.retry_after = retry_after

    def details(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


class StoreError(PartnerGraphError):
    """The store refused or failed a request for a reason the user can act on."""

    ZH = "数据库拒绝了该请求,未作任何修改。"


class StoreUnavailable(StoreError):
    """The store (a Neo4j server, say) could not be reached or refused the session."""

    ZH = "暂时无法连接数据库,请稍后再试。"


class StoreFull(StoreError):
    """The database file's disk (or its size limit) is full. Nothing was written."""

    ZH = "数据库文件所在磁盘已满(或已达大小上限),未写入任何内容。请释放空间后重试。"


class StoreReadOnly(StoreUnavailable):
    """The database file (or its folder) cannot be written. Nothing was written."""

    ZH = "数据库文件为只读,未写入任何内容。请检查该文件及其所在文件夹的权限。"


class StoreLocked(StoreUnavailable):
    """Another program holds the database file's lock for longer than the busy timeout."""

    ZH = "数据库文件被其他程序锁定,未写入任何内容。请稍后重试。"


class TagsFileError(InvalidFile):
    """The file is not a valid tags CSV, or a row names no known city; nothing was written."""

    ZH = "标签文件无法导入,未写入任何内容。"

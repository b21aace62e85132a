"""SQLite failures a user can act on, as store errors that name the file: full, read-only, locked.

``sqlite_errors`` wraps every public method of a store class (and its constructor), so a full disk
is ``StoreFull`` (the API's 507), a read-only file ``StoreReadOnly`` and a held lock ``StoreLocked``
(503), and the CLI prints one line instead of a traceback. Errors that are bugs (a malformed
statement, say) pass through unchanged.

>>> import sqlite3
>>> error = sqlite3.OperationalError("database or disk is full")
>>> error.sqlite_errorcode = 13
>>> type(storage_error(error, "data/x.db")).__name__
'StoreFull'
"""

from __future__ import annotations

import functools
import inspect
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from graph_service.errors import StoreError, StoreFull, StoreLocked, StoreReadOnly, StoreUnavailable

SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26

FULL_BELOW_BYTES = 64 * 1024
"""Free space under which an I/O failure on open counts as a full disk."""

T = TypeVar("T", bound=type)


def storage_error(exc: sqlite3.Error, path: str) -> StoreError | None:
    """The store error for an SQLite failure of the file at ``path``, or None when it is a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = str(exc)[:200]
    if primary == SQLITE_FULL or (primary in (SQLITE_CANTOPEN, SQLITE_IOERR) and _disk_full(path)):
        return StoreFull(f"the database file {path} is full (no space left on its disk, or its size limit is "
                         f"reached); nothing was written. Free some space and try again. ({detail})",
                         zh=f"数据库文件 {path} 所在磁盘已满(或已达大小上限),未写入任何内容。请释放空间后重试。")
    if primary in (SQLITE_READONLY, SQLITE_PERM) or (primary == SQLITE_CANTOPEN and _not_writable(path)):
        return StoreReadOnly(f"the database file {path} is read-only; nothing was written. Check the "
                             f"permissions of the file and of its folder. ({detail})",
                             zh=f"数据库文件 {path} 为只读,未写入任何内容。请检查该文件及其所在文件夹的权限。")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreLocked(f"the database file {path} is locked by another program; nothing was written. "
                           f"Try again shortly. ({detail})",
                           zh=f"数据库文件 {path} 被其他程序锁定,未写入任何内容。请稍后重试。")
    if primary in (SQLITE_CANTOPEN, SQLITE_IOERR):
        return StoreUnavailable(f"the database file {path} cannot be opened or read: {detail}",
                                zh=f"无法打开或读取数据库文件 {path}。")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StoreError(f"{path} is not a usable partner-graph database: {detail}",
                          zh=f"{path} 不是可用的 partner-graph 数据库。")
    return None


def _disk_full(path: str) -> bool:
    """Whether the disk holding the database file has (next to) no space left."""
    try:
        return shutil.disk_usage(Path(path).parent).free < FULL_BELOW_BYTES
    except OSError:
        return False


def _not_writable(path: str) -> bool:
    """Whether an existing database file, or its folder, cannot be written (a read-only disk, say):
    SQLite then cannot open the file at all, since a WAL database needs its ``-shm`` file."""
    file = Path(path)
    return file.exists() and not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK))


def _translated(exc: sqlite3.Error, store: Any) -> StoreError:
    translated = storage_error(exc, str(getattr(store, "path", "?")))
    if translated is None:
        raise exc
    return translated


def _translating(method: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def pages(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise _translated(exc, self) from exc

        return pages

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _translated(exc, self) from exc

    return run


def sqlite_errors(cls: T) -> T:
    """Class decorator: every public method and ``__init__`` turn SQLite failures into store errors."""
    for name, member in list(vars(cls).items()):
        if callable(member) and (name == "__init__" or not name.startswith("_")):
            setattr(cls, name, _translating(member))
    return cls

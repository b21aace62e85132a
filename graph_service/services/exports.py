"""Whole-graph exports for the API: built once per store revision, kept as files, served in few slots.

An export of the world dataset is tens of megabytes; building one per request, six at once, once took
a server from 0.9 to 4.6 GB. Here:

- each (revision, format) is written once, record by record (``ingest.export_stream``), to a file in
  the cache folder; later requests for the same revision stream that file from disk;
- a write moves the revision, so the next export is built afresh (older files are removed);
- at most ``slots`` exports run at once in a process; one more is refused with ``TooBusy`` (429).

>>> from graph_service.store.sqlite import SQLiteStore
>>> import tempfile
>>> cache = ExportCache(Path(tempfile.mkdtemp()), slots=1)
>>> store = SQLiteStore(":memory:")
>>> with cache.slot():
...     cache.file_for(store, "json").name
'partner-graph-r0.json'
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graph_service.errors import TooBusy
from graph_service.ingest.export_stream import write_export
from graph_service.ingest.exports import ExportFormat
from graph_service.store.base import GraphStore

MAX_ATTEMPTS = 3
"""Builds tried while writes keep moving the revision, before the last one is kept anyway."""


def default_folder(store_url: str) -> Path:
    """A private folder under the system's temp dir, one per store URL."""
    digest = hashlib.sha256(store_url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"partner-graph-exports-{digest}"


class ExportCache:
    """Export files by revision and format, and the slots that bound how many exports run at once."""

    def __init__(self, folder: Path, slots: int = 2):
        self.folder = folder
        self.slots = slots
        self.builds = 0
        self._free = threading.BoundedSemaphore(slots)
        self._build_lock = threading.Lock()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the export slots, or raise ``TooBusy`` when all are taken."""
        release = self.take_slot()
        try:
            yield
        finally:
            release()

    def take_slot(self) -> Callable[[], None]:
        """Take a slot and return the function that gives it back (called once the file is sent)."""
        if not self._free.acquire(blocking=False):
            raise TooBusy(f"{self.slots} exports are already running; try again in a few seconds")
        return self._free.release

    def path(self, revision: int, fmt: ExportFormat) -> Path:
        return self.folder / f"partner-graph-r{revision}.{fmt.value}"

    def file_for(self, store: GraphStore, fmt: ExportFormat | str) -> Path:
        """The export file of the store's current revision in ``fmt``, built if it is not there yet."""
        fmt = ExportFormat(fmt)
        path = self.path(store.revision(), fmt)
        if path.exists():
            return path
        with self._build_lock:
            for attempt in range(MAX_ATTEMPTS):
                revision = store.revision()
                path = self.path(revision, fmt)
                if path.exists():
                    return path
                built = self._build(store, fmt, revision)
                if store.revision() == revision or attempt == MAX_ATTEMPTS - 1:
                    built.replace(path)
                    self._remove_older(fmt, revision)
                    return path
                built.unlink(missing_ok=True)
        return path

    def _build(self, store: GraphStore, fmt: ExportFormat, revision: int) -> Path:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".r{revision}-", suffix=f".{fmt.value}", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as out:
                write_export(store, fmt, out)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        self.builds += 1
        return Path(name)

    def _remove_older(self, fmt: ExportFormat, revision: int) -> None:
        """Delete this format's files of earlier revisions (a file being sent stays readable until closed)."""
        for old in self.folder.glob(f"partner-graph-r*.{fmt.value}"):
            number = old.name.removeprefix("partner-graph-r").removesuffix(f".{fmt.value}")
            if number.isdigit() and int(number) < revision:
                old.unlink(missing_ok=True)

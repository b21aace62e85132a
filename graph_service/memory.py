"""Keep a long-running process's memory near what it holds, on glibc (Linux); elsewhere a no-op.

A projection is rebuilt and patched as numpy arrays of hundreds of kilobytes, from many request
threads. glibc's defaults keep such blocks after they are freed: its threshold for giving large
blocks their own mapping rises after each free, and every thread that contends gets an arena of its
own. A server under writes then grows by a hundred megabytes that it no longer uses (``bench/api.py``,
RSS after writes). ``tune_allocator`` fixes the threshold and caps the arenas; ``release_freed_memory``
hands what a build freed back to the system.

>>> tune_allocator(); release_freed_memory()
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 256 * 1024
"""Blocks from this size up get a mapping of their own, returned to the system when freed."""
ARENA_MAX = 2


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def tune_allocator() -> None:
    """Fix glibc's mapping threshold and cap its arenas (once per process, before the request threads)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
        libc.mallopt(_M_ARENA_MAX, ARENA_MAX)


def release_freed_memory() -> None:
    """Return the free memory at the top of glibc's heaps to the system (after a projection build)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)

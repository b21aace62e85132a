"""Run the real app (``partner-graph serve``) in a subprocess on a free loopback port.

Shared by the browser tests and ``bench/ui.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

CLI = [str(Path(sys.executable).with_name("partner-graph"))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(db: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``partner-graph --store sqlite:///db ARGS`` and fail loudly if it fails."""
    result = subprocess.run([*CLI, "--store", f"sqlite:///{db}", *args], capture_output=True, text=True,
                            timeout=timeout, env=os.environ | {"COLUMNS": "200"})
    if result.returncode != 0:
        raise RuntimeError(f"partner-graph {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@contextmanager
def serve(db: Path, log: Path, *, command: Sequence[str] = CLI, cwd: Path | None = None,
          env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve the store at ``db``; yield the base URL once /health answers; stop the server after.

    ``command`` is the CLI to run (another install's ``partner-graph``, say), in ``cwd`` with ``env``.
    """
    port = free_port()
    with log.open("wb") as out:
        args = ["--store", f"sqlite:///{db}", "serve", "--host", "127.0.0.1", "--port", str(port)]
        proc = subprocess.Popen([*command, *args], stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/health", timeout=2):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"server did not start:\n{log.read_text(errors='replace')}") from None
                    time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

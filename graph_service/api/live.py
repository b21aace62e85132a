"""Run the real app under uvicorn in a subprocess on a free loopback port: for tests, benchmarks and
browser tests, which must talk to the service over real HTTP.

>>> with LiveServer("sqlite:///:memory:") as server:
...     httpx.get(server.url + "/health").json()["status"]
'ok'
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

APP_FACTORY = "graph_service.api.app:create_app"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``uvicorn --factory graph_service.api.app:create_app`` with settings passed as environment variables.

    ``log_path`` receives the server's stdout and stderr (access log included).
    """

    def __init__(
        self,
        store_url: str,
        *,
        env: dict[str, str] | None = None,
        workers: int = 1,
        log_path: Path | None = None,
        access_log: bool = True,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or Path(os.devnull)
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", "PARTNER_GRAPH_STORE": store_url, **(env or {})}
        self.args = [
            sys.executable, "-m", "uvicorn", "--factory", APP_FACTORY,
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers), "--log-level", "info",
        ]
        if not access_log:
            self.args.append("--no-access-log")
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> LiveServer:
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - open for the server's life; stop() closes it
        self.process = subprocess.Popen(self.args, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"uvicorn did not answer on {self.url} within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

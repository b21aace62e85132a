"""Settings, read from the environment (prefix ``PARTNER_GRAPH_``) and an optional ``.env`` file.

The default store does not depend on the folder a command runs in: it is ``partner-graph.db`` in the
user's data folder (platformdirs: ``~/.local/share/partner-graph`` on Linux, which ``XDG_DATA_HOME``
moves), or in ``PARTNER_GRAPH_HOME`` when that is set. ``partner-graph demo``, every other command
and ``serve`` agree on it; ``--store`` or ``PARTNER_GRAPH_STORE`` name another store.

>>> Settings(store="sqlite:///tmp/x.db").store
'sqlite:///tmp/x.db'
>>> default_store({"PARTNER_GRAPH_HOME": "/srv/pg"})
'sqlite:////srv/pg/partner-graph.db'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "partner-graph"
STORE_FILE = "partner-graph.db"
HOME_VARIABLE = "PARTNER_GRAPH_HOME"


def data_home(environ: Mapping[str, str] = os.environ) -> Path:
    """The folder of the default store: ``$PARTNER_GRAPH_HOME``, else the user's data folder."""
    chosen = environ.get(HOME_VARIABLE)
    return Path(chosen).expanduser().resolve() if chosen else platformdirs.user_data_path(APP_NAME)


def default_store(environ: Mapping[str, str] = os.environ) -> str:
    """The store used when none is named: an absolute ``sqlite:///`` URL inside ``data_home``."""
    return f"sqlite:///{data_home(environ) / STORE_FILE}"


class Settings(BaseSettings):
    """Everything partner-graph reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="PARTNER_GRAPH_", env_file=".env", extra="ignore")

    store: str = Field(default_factory=default_store, description="sqlite:///path.db or neo4j://host:7687")
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "PARTNER_GRAPH_NEO4J_USER"))
    neo4j_password: str = Field(
        default="", validation_alias=AliasChoices("NEO4J_PASSWORD", "PARTNER_GRAPH_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "PARTNER_GRAPH_NEO4J_DATABASE")
    )
    data_dir: Path = Field(default=Path("../shared/data"), description="where real pairs files live")
    public_reads: bool = Field(default=True, description="serve reads without an API key")
    home_country: str = Field(
        default="CN", pattern=r"^[A-Z]{2}$",
        description="the country of the office this server works for: its policy (graph_service/resources/policies) "
        "names territories and fills the country pickers of pages that have no home city",
    )
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    sqlite_busy_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="how long an SQLite write waits for another program's lock"
    )
    max_concurrent_exports: int = Field(
        default=2, ge=1, le=64, description="whole-graph exports served at once per process; more get 429"
    )
    export_cache_dir: Path | None = Field(
        default=None, description="where export files are kept per revision (default: a folder in the temp dir)"
    )
    secure_cookies: bool = Field(
        default=False,
        description="the UI is served over HTTPS: cookies get Secure and the __Host- prefix",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

"""Settings, read from the environment (prefix ``PARTNER_GRAPH_``) and an optional ``.env`` file.

>>> Settings(store="sqlite:///tmp/x.db").store
'sqlite:///tmp/x.db'
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STORE = "sqlite:///data/partner-graph.db"


class Settings(BaseSettings):
    """Everything partner-graph reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="PARTNER_GRAPH_", env_file=".env", extra="ignore")

    store: str = Field(default=DEFAULT_STORE, description="sqlite:///path.db or neo4j://host:7687")
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

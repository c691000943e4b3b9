"""The one list of knobs: typed settings read from ``SKG_*`` environment variables.

Defaults make the README's two commands work on a fresh clone; paths default
to folders of the repository, not of the current directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPOSITORY = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Service settings; each field is documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="SKG_", extra="forbid")

    store: Literal["directory", "memory", "remote"] = Field(
        "directory", description="Where the graph lives: an on-disk Oxigraph store, memory, or a remote SPARQL server."
    )
    store_path: Path = Field(REPOSITORY / "var" / "store", description="Folder of the on-disk store.")
    remote_query_url: str | None = Field(None, description="SPARQL 1.1 query endpoint of the remote store.")
    remote_update_url: str | None = Field(None, description="SPARQL 1.1 update endpoint of the remote store (for loading).")
    remote_store_url: str | None = Field(None, description="Graph Store Protocol endpoint of the remote store (for loading).")
    ontology_dir: Path = Field(REPOSITORY / "ontology", description="Folder of the ontology, vocabulary and shapes.")
    data_dir: Path = Field(REPOSITORY / "data", description="Folder of the data files, one named graph each.")
    queries_dir: Path = Field(REPOSITORY / "queries", description="Folder of the catalogue queries (views in views/).")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a query may run before it is stopped.")
    view_build_timeout: float = Field(
        120.0,
        gt=0,
        description="Seconds the queries behind a query view of the whole graph (whole, practices, obligations, "
        "types; built once per store and kept for every later request) may run.",
    )
    max_rows: int = Field(100_000, gt=0, description="Most rows or triples a SPARQL answer holds (see SKG_ON_LIMIT).")
    max_answer_bytes: int = Field(64 * 2**20, gt=0, description="Most bytes a SPARQL answer holds (see SKG_ON_LIMIT).")
    on_limit: Literal["error", "truncate"] = Field(
        "error",
        description="Beyond SKG_MAX_ROWS or SKG_MAX_ANSWER_BYTES: answer 400 (error) or cut the answer and "
        "flag it in X-Result-Truncated (truncate).",
    )
    workers: int = Field(2, ge=1, le=32, description="Query worker processes for the API's own queries (embedded store).")
    public_workers: int = Field(2, ge=1, le=32, description="Query worker processes for /sparql and user CONSTRUCT views.")
    queue_size: int = Field(16, ge=0, le=1000, description="Requests that may wait for a worker, per lane; more get 503.")
    worker_memory_mb: int = Field(
        1024,
        ge=64,
        description="Memory (MiB of address space) a worker may add to what its "
        "open store takes; a query needing more ends its worker, which is replaced.",
    )
    client_concurrency: int = Field(1, ge=1, le=64, description="/sparql queries one client may run at once; more get 429.")
    client_query_seconds: float = Field(
        60.0, gt=0, description="Seconds of /sparql query time one client may use per minute; beyond that 429 with Retry-After."
    )
    client_requests: int = Field(8, ge=1, le=256, description="Requests one client may have in progress at once; more get 429.")
    request_timeout: float = Field(30.0, gt=0, description="Seconds any request may take before it is answered 503.")
    base_url: str | None = Field(
        None, description="Public URL of the service (service description, links); its host is then the only one accepted."
    )
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "::1", "[::1]"],
        description="Host headers accepted when SKG_BASE_URL is not set (JSON list).",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose "
        "X-Forwarded-For names the client (JSON list); by default the peer address is the client.",
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"], description="Origins allowed by CORS for the read-only API (JSON list; [] turns CORS off)."
    )
    answer_cache_mb: int = Field(
        64,
        ge=0,
        le=65_536,
        description="Memory (MiB) for complete answers kept for repeated GET requests; 0 keeps none (ETags and 304 stay).",
    )
    answer_files_mb: int = Field(
        2048,
        ge=0,
        le=1_048_576,
        description="Disk (MiB) beside the store for answers too big for the memory cache, such as large view exports; "
        "0 keeps none. Only with an on-disk or remote store.",
    )
    max_view_triples: int = Field(
        500_000,
        gt=0,
        description="Largest graph (in triples) whose whole, practices or obligations view is built, or whose whole "
        "view ego views, neighbourhoods and paths search; beyond it 400 naming what stays small (types, duty_bearers, "
        "query).",
    )
    max_query_bytes: int = Field(100_000, gt=0, description="Largest SPARQL query text accepted, in bytes.")
    max_url_bytes: int = Field(
        320_000, gt=0, description="Longest request target (path and query string) accepted, in bytes; longer gets 414."
    )
    header_timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds a connection may take to send its request line and "
        "headers, from connecting or from the previous response; then 408 and close.",
    )
    keep_alive_timeout: int = Field(5, ge=1, description="Seconds an idle keep-alive connection is kept open.")
    max_connections: int = Field(
        1000,
        ge=1,
        description="Open connections the server accepts at once (lowered to stay under the open-file limit); more get 503.",
    )

    ingest_token: SecretStr | None = Field(
        None, description="Token that POST /ingest requires (Authorization: Bearer); unset, ingest over HTTP is off (404)."
    )
    drafts_dir: Path = Field(
        REPOSITORY / "var" / "drafts", description="Folder of ingested drafts and their review reports (never the data folder)."
    )
    load_drafts: bool = Field(
        False,
        description="Load the drafts of SKG_DRAFTS_DIR (if it exists) into the store, each in its named graph "
        "…/graph/drafts/<stem>, so that their text is searchable; they stay drafts, not curated data.",
    )

    @field_validator("ingest_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # set but empty: ingest stays off
        if isinstance(value, str) and len(value) < 16:
            raise ValueError("must hold at least 16 characters")
        return value

    @field_validator("remote_query_url", "remote_update_url", "remote_store_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("base_url")
    @classmethod
    def _base(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.store == "remote" and not self.remote_query_url:
            raise ValueError("SKG_REMOTE_QUERY_URL is required when SKG_STORE=remote")
        for name in ("ontology_dir", "data_dir", "queries_dir"):
            folder = getattr(self, name)
            if not folder.is_dir():
                raise ValueError(f"SKG_{name.upper()}: {folder} is not a folder")
        return self

    @property
    def answer_files_folder(self) -> Path | None:
        """Where the disk tier of the answer cache lives: the store folder's ``answers/``, none for a store in memory
        (or with ``SKG_ANSWER_FILES_MB=0``)."""
        return None if self.store == "memory" or self.answer_files_mb == 0 else self.store_path / "answers"

    @property
    def kept_views_folder(self) -> Path | None:
        """Where the views of the whole graph are kept once built: the store folder's ``views/``, none for a store in
        memory (its data are loaded again by each process)."""
        return None if self.store == "memory" else self.store_path / "views"


@lru_cache
def get_settings() -> Settings:
    """Settings from the environment, read once."""
    return Settings()


__all__ = ["REPOSITORY", "Settings", "get_settings"]

"""The one list of knobs: typed settings read from ``SKG_*`` environment variables.

Defaults make the README's two commands work on a fresh clone; paths default
to folders of the repository, not of the current directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPOSITORY = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Service settings; each field is documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="SKG_", extra="forbid")

    store: Literal["directory", "memory", "remote"] = Field(
        "directory", description="Where the graph lives: an on-disk Oxigraph store, memory, or a remote SPARQL server.")
    store_path: Path = Field(REPOSITORY / "var" / "store", description="Folder of the on-disk store.")
    remote_query_url: str | None = Field(None, description="SPARQL 1.1 query endpoint of the remote store.")
    remote_update_url: str | None = Field(None, description="SPARQL 1.1 update endpoint of the remote store (for loading).")
    remote_store_url: str | None = Field(None, description="Graph Store Protocol endpoint of the remote store (for loading).")
    ontology_dir: Path = Field(REPOSITORY / "ontology", description="Folder of the ontology, vocabulary and shapes.")
    data_dir: Path = Field(REPOSITORY / "data", description="Folder of the data files, one named graph each.")
    queries_dir: Path = Field(REPOSITORY / "queries", description="Folder of the catalogue queries (views in views/).")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a query may run before it is stopped.")
    max_rows: int = Field(10000, gt=0, description="Most rows or triples a SPARQL answer returns; more are cut and flagged.")
    workers: int = Field(2, ge=1, le=32, description="Query worker processes of the embedded store.")
    base_url: str | None = Field(None, description="Public URL of the service behind a proxy (service description); "
                                 "by default the URL the request came to.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS (JSON list).")
    max_query_bytes: int = Field(100_000, gt=0, description="Largest SPARQL query text accepted, in bytes.")

    @field_validator("remote_query_url", "remote_update_url", "remote_store_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.store == "remote" and not self.remote_query_url:
            raise ValueError("SKG_REMOTE_QUERY_URL is required when SKG_STORE=remote")
        for name in ("ontology_dir", "data_dir", "queries_dir"):
            folder = getattr(self, name)
            if not folder.is_dir():
                raise ValueError(f"SKG_{name.upper()}: {folder} is not a folder")
        return self


@lru_cache
def get_settings() -> Settings:
    """Settings from the environment, read once."""
    return Settings()


__all__ = ["REPOSITORY", "Settings", "get_settings"]

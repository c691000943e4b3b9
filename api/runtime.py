"""Open what a Settings object describes: the store (loaded) and the catalogue.

Shared by the app's lifespan and every CLI subcommand, so that the server and
the CLI cannot disagree on how data are found and loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.settings import Settings
from graph.backends.factory import open_loaded
from graph.catalogue import Catalogue
from graph.loader import LoadReport, content_sources, data_version, draft_sources
from graph.store import Store, StoreConfig


@dataclass
class Runtime:
    """An open store with its load report, and the compiled catalogue."""

    store: Store
    catalogue: Catalogue
    report: LoadReport
    data_version: str = ""
    """A digest of the content files, shown on pages and in citations."""

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def store_config(settings: Settings) -> StoreConfig:
    """The StoreConfig of a Settings object."""
    return StoreConfig(
        kind=settings.store,
        path=settings.store_path,
        remote_query_url=settings.remote_query_url,
        remote_update_url=settings.remote_update_url,
        remote_store_url=settings.remote_store_url,
        workers=settings.workers,
        public_workers=settings.public_workers,
        queue_size=settings.queue_size,
        default_timeout=settings.query_timeout,
        worker_memory=settings.worker_memory_mb * 2**20,
        sources=content_sources(settings.ontology_dir, settings.data_dir)
        + (draft_sources(settings.drafts_dir) if settings.load_drafts else ()),
    )


def open_runtime(settings: Settings, reload: bool = False, catalogue: Catalogue | None = None) -> Runtime:
    """Compile the catalogue, bring the store up to date and open it for queries.

    The catalogue is compiled first: a broken query stops start-up before any
    data are loaded.
    """
    catalogue = catalogue or Catalogue.load(settings.queries_dir)
    config = store_config(settings)
    store, report = open_loaded(config, reload=reload)
    return Runtime(store=store, catalogue=catalogue, report=report, data_version=data_version(config.sources))


__all__ = ["Runtime", "open_runtime", "store_config"]

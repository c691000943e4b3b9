"""Open the store a configuration describes, loaded and ready: the one place that knows the backends.

Callers (the service, the CLI, benchmarks) never branch on the kind of store:
they pass a ``StoreConfig`` and get a ``Store`` and a ``LoadReport``.
"""

from __future__ import annotations

from graph.loader import LoadReport, graph_counts, load_dataset, prepare_directory_store
from graph.store import Store, StoreConfig

BACKENDS = ("memory", "directory", "remote")


def open_store(config: StoreConfig) -> Store:
    """Open the store a configuration describes (the embedded kinds load their sources in each worker)."""
    if config.kind in ("memory", "directory"):
        from graph.backends.workers import PooledStore

        return PooledStore(config)
    if config.kind == "remote":
        from graph.backends.remote import RemoteStore

        if not config.remote_query_url:
            raise ValueError("a remote store needs remote_query_url")
        return RemoteStore(
            config.remote_query_url, config.remote_update_url, config.remote_store_url, default_timeout=config.default_timeout
        )
    raise ValueError(f"unknown store kind {config.kind!r} ({', '.join(BACKENDS)})")


def open_loaded(config: StoreConfig, reload: bool = False) -> tuple[Store, LoadReport]:
    """Bring the store up to date with the configured sources (only if they changed, or ``reload``) and open it.

    A directory store is prepared on disk before its workers open it read-only;
    a memory store's workers load the sources themselves; a remote store is
    loaded over HTTP, its fingerprint kept in the store folder (``config.path``).
    """
    if config.kind == "directory":
        if config.path is None:
            raise ValueError("a directory store needs a path")
        report = prepare_directory_store(config.path, config.sources, force=reload)
        return open_store(config), report
    store = open_store(config)
    if config.kind == "memory":
        return store, LoadReport(graph_counts(store), reloaded=True)
    return store, load_dataset(store, config.sources, force=reload, state=config.path)


__all__ = ["BACKENDS", "open_loaded", "open_store"]

"""One cache per store, weakly keyed: what is derived from a store's data lives as long as the store.

The data do not change while a store serves, so anything computed from them
(the class hierarchy, network views, the search index) is computed once per
store and kept here; closing and dropping the store drops its entries.
Derived entries (views built from request options) are bounded (LRU).
Fixed entries given a ``keep_as`` name are also kept on disk when a folder is
set (``keep_in``): a later process on the same data reads them instead of
building them again (the whole view of a million triples: 1 s instead of 20).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar, cast

log = logging.getLogger(__name__)

T = TypeVar("T")

DERIVED_SIZE = 64
"""Derived entries (e.g. a view per set of options) kept per store; fixed entries are always kept."""


class StoreCache:
    """Entries computed from one store: fixed ones kept for good, derived ones bounded."""

    def __init__(self, derived_size: int = DERIVED_SIZE) -> None:
        self._fixed: dict[Hashable, Any] = {}
        self._derived: OrderedDict[Hashable, Any] = OrderedDict()
        self._derived_size = derived_size
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self._shelf: Path | None = None

    def keep_in(self, folder: Path, version: str) -> None:
        """Keep named fixed entries under ``folder``, for this ``version`` of data and code only.

        Each version has a subfolder; those of other versions are removed, so
        the folder holds one set of entries. The files are pickles written by
        this service into its own store folder, read by it alone.
        """
        shelf = folder / hashlib.sha256(version.encode()).hexdigest()[:32]
        if folder.is_dir():
            for old in folder.iterdir():
                if old != shelf:
                    shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
        shelf.mkdir(parents=True, exist_ok=True)
        self._shelf = shelf

    def _kept(self, name: str, build: Callable[[], T]) -> T:
        if self._shelf is None:
            return build()
        path = self._shelf / (hashlib.sha256(name.encode()).hexdigest()[:32] + ".pickle")
        try:
            with path.open("rb") as file:
                return cast(T, pickle.load(file))  # noqa: S301 - our own file, written below for this version
        except FileNotFoundError:
            pass
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
            log.warning("rebuilding %s: its kept copy could not be read (%s)", name, error)
        value = build()
        try:  # written under a temporary name and renamed: a reader never sees half a file
            with tempfile.NamedTemporaryFile("wb", dir=self._shelf, suffix=".part", delete=False) as part:
                pickle.dump(value, part, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part.name, path)
        except OSError as error:
            log.warning("%s is not kept on disk: %s", name, error)
        return value

    def fixed(self, key: Hashable, build: Callable[[], T], keep_as: str | None = None) -> T:
        """The entry for ``key``, built once (concurrent callers wait for the one build).

        With ``keep_as`` (a name unique to what ``build`` computes) and a folder
        set by ``keep_in``, the entry is read from disk when a copy is there.
        """
        with self._lock:
            if key in self._fixed:
                return cast(T, self._fixed[key])
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._fixed:
                    return cast(T, self._fixed[key])
            value = self._kept(keep_as, build) if keep_as else build()
            with self._lock:
                self._fixed[key] = value
                self._building.pop(key, None)
            return value

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """The entry for ``key`` from the bounded part, built on a miss (the least recently used goes)."""
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                return cast(T, self._derived[key])
        value = build()
        with self._lock:
            self._derived[key] = value
            while len(self._derived) > self._derived_size:
                self._derived.popitem(last=False)
        return value


_CACHES: weakref.WeakKeyDictionary[object, StoreCache] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def cache_of(store: object) -> StoreCache:
    """The cache of a store (created on first use)."""
    with _LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            cache = _CACHES[store] = StoreCache()
        return cache


def clear_cache(store: object | None = None) -> None:
    """Forget what was cached for one store, or for every store."""
    with _LOCK:
        if store is None:
            _CACHES.clear()
        else:
            _CACHES.pop(store, None)


__all__ = ["DERIVED_SIZE", "StoreCache", "cache_of", "clear_cache"]

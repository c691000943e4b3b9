"""One cache per store, weakly keyed: what is derived from a store's data lives as long as the store.

The data do not change while a store serves, so anything computed from them
(the class hierarchy, network views, the search index) is computed once per
store and kept here; closing and dropping the store drops its entries.
Derived entries (views built from request options) are bounded (LRU).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

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

    def fixed(self, key: Hashable, build: Callable[[], T]) -> T:
        """The entry for ``key``, built once (concurrent callers wait for the one build)."""
        with self._lock:
            if key in self._fixed:
                return cast(T, self._fixed[key])
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._fixed:
                    return cast(T, self._fixed[key])
            value = build()
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

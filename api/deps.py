"""Typed dependencies read from ``app.state`` (set by the lifespan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from graph.catalogue import Catalogue
from graph.store import Store


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _catalogue(request: Request) -> Catalogue:
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(_store)]
CatalogueDep = Annotated[Catalogue, Depends(_catalogue)]
SettingsDep = Annotated[Settings, Depends(_settings)]

__all__ = ["CatalogueDep", "SettingsDep", "StoreDep"]

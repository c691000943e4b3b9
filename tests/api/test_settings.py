"""Settings: validation errors name the setting; every field is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from api.settings import REPOSITORY, Settings


def test_remote_store_needs_its_url() -> None:
    with pytest.raises(ValidationError, match="SKG_REMOTE_QUERY_URL"):
        Settings(store="remote")


def test_remote_url_needs_a_scheme() -> None:
    with pytest.raises(ValidationError, match="remote_query_url"):
        Settings(store="remote", remote_query_url="localhost:7878/query")


def test_missing_folder_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="SKG_DATA_DIR"):
        Settings(data_dir=tmp_path / "absent")


def test_unknown_store_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="store"):
        Settings(store="sqlite")  # type: ignore[arg-type]


def test_environment_is_read_with_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKG_MAX_ROWS", "7")
    assert Settings().max_rows == 7


def test_defaults_point_into_the_repository() -> None:
    settings = Settings()
    assert settings.data_dir == REPOSITORY / "data"
    assert settings.store_path.is_relative_to(REPOSITORY)


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (REPOSITORY / "README.md").read_text()
    missing = [name for name in Settings.model_fields if f"`SKG_{name.upper()}`" not in readme]
    assert not missing

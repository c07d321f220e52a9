"""Settings come from the environment, then the TOML file named by VILLAGEPUMP_CONFIG, then defaults."""

from pathlib import Path

import pytest

from villagepump.config import Settings


def test_toml_file_then_environment_then_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "villagepump.toml"
    config.write_text('port = 9001\nsite_name = "Village Pump"\nopen_signup = true\n')
    monkeypatch.setenv("VILLAGEPUMP_CONFIG", str(config))
    monkeypatch.setenv("VILLAGEPUMP_PORT", "9002")
    settings = Settings()
    assert settings.port == 9002  # the environment wins over the file
    assert settings.site_name == "Village Pump" and settings.open_signup is True
    assert settings.session_days == 30  # neither sets it


def test_database_url_selects_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VILLAGEPUMP_DATABASE_URL", raising=False)
    monkeypatch.setenv("VILLAGEPUMP_DATA_DIR", str(tmp_path))
    assert Settings().resolved_database_url == f"sqlite+aiosqlite:///{tmp_path.resolve()}/villagepump.db"
    monkeypatch.setenv("VILLAGEPUMP_DATABASE_URL", "postgresql://chat@db/villagepump")
    assert Settings().resolved_database_url == "postgresql+asyncpg://chat@db/villagepump"

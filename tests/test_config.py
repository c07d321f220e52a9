"""Settings come from the environment, then the TOML file named by VILLAGEPUMP_CONFIG, then defaults."""

from pathlib import Path

import pytest

from villagepump.config import Settings, effective_settings, wire_fields


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


def test_every_runtime_setting_has_one_mattermost_name_and_is_documented() -> None:
    fields = wire_fields()
    paths = [field.wire.path for field in fields.values()]
    assert len(paths) == len(set(paths)), "two settings share a Mattermost name"
    admin_guide = (Path(__file__).parent.parent / "docs" / "admin.md").read_text(encoding="utf-8")
    missing = [
        path
        for name, path in zip(fields, paths, strict=True)
        if f"| `{path}` | `VILLAGEPUMP_{name.upper()}` |" not in admin_guide
    ]
    assert not missing, f"add these settings to the table in docs/admin.md: {missing}"


def test_the_database_comes_under_the_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "villagepump.toml"
    config.write_text('site_name = "From the file"\n')
    monkeypatch.setenv("VILLAGEPUMP_CONFIG", str(config))
    monkeypatch.setenv("VILLAGEPUMP_MAX_POST_SIZE", "100")
    base = Settings()
    assert base.locked == {"site_name", "max_post_size"}
    stored = {"site_name": "From the API", "max_post_size": 5, "open_signup": True}
    settings = effective_settings(base, stored)
    assert (settings.site_name, settings.max_post_size, settings.open_signup) == ("From the file", 100, True)

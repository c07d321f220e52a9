"""One typed settings object, read from VILLAGEPUMP_* environment variables and an optional TOML file."""

import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VILLAGEPUMP_", extra="ignore")

    # Where SQLite and uploaded files live when no other store is configured.
    data_dir: Path = Path("data")
    # Empty means SQLite at <data_dir>/villagepump.db; postgresql://... selects PostgreSQL.
    database_url: str = ""
    # Empty means the in-process event bus; redis://... shares events between server processes.
    redis_url: str = ""
    # The pub/sub channel the processes of one deployment share on that Redis.
    redis_channel: str = "villagepump.events"
    host: str = "127.0.0.1"
    port: int = 8065
    # The address users reach the server at; used in links the server prints or sends.
    site_url: str = ""
    site_name: str = "Villagepump"
    # Invite-only by default: accounts come from team invite links or from an administrator.
    open_signup: bool = False
    session_days: int = 30
    # Failed logins allowed per account and per client address within login_window_seconds.
    login_failures_per_account: int = 10
    login_failures_per_address: int = 50
    login_window_seconds: int = 300
    # How long a dropped WebSocket connection's missed events are kept for it to resume.
    websocket_resume_seconds: int = 120
    websocket_resume_events: int = 512
    # Presence: away after this long without activity; checked every presence_sweep_seconds.
    presence_away_seconds: float = 300
    presence_sweep_seconds: float = 30
    max_post_size: int = 16383
    # argon2id cost; the defaults follow RFC 9106's second recommended option. Tests lower them.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    log_level: str = "info"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @cached_property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy async URL for the configured database."""
        url = self.database_url or f"sqlite:///{(self.data_dir / 'villagepump.db').resolve()}"
        if url.startswith("sqlite:"):
            return "sqlite+aiosqlite:" + url.removeprefix("sqlite:")
        if url.startswith(("postgres://", "postgresql://")):
            return "postgresql+asyncpg://" + url.split("://", 1)[1]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


class _TomlSource(PydanticBaseSettingsSource):
    """Settings from the TOML file named by VILLAGEPUMP_CONFIG, keys as in the environment, lower case."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {key: value for key, value in self._values().items() if key in self.settings_cls.model_fields}

    def _values(self) -> dict[str, Any]:
        path = os.environ.get("VILLAGEPUMP_CONFIG")
        if not path:
            return {}
        with open(path, "rb") as file:
            return tomllib.load(file)

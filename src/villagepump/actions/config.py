"""Changing the runtime settings: validated, stored in the database, applied in this process at
once and in every other process when the settings_changed event reaches it."""

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from villagepump import errors
from villagepump.actions import terms as terms_actions
from villagepump.actions.transaction import transaction
from villagepump.clock import now_ms_of
from villagepump.config import Settings, check_settings, effective_settings, wire_field_by_path, wire_fields
from villagepump.events.types import Broadcast, Event
from villagepump.files.s3 import S3Options, S3Storage, StorageUnavailable
from villagepump.moderation import audit
from villagepump.notifications.signing import signing_public_key
from villagepump.render.config import render_client_config
from villagepump.runtime import Runtime
from villagepump.store import config as config_store
from villagepump.store import terms as terms_store

log = logging.getLogger(__name__)

_RETRY_SECONDS = 1.0
_LOCAL_RECHECK_SECONDS = 3.0


async def update_config(rt: Runtime, changes: Mapping[str, Any]) -> Settings:
    """Stores `changes` (settings by field name, decoded) and returns the settings in force.
    A setting the environment or the TOML file sets is left as it is: they win over the database,
    and Mattermost likewise ignores changes to the settings its environment overrides."""
    locked = rt.base_settings.locked
    changes = {name: value for name, value in changes.items() if name not in locked}
    if rt.settings.site_url and changes.get("site_url") == "":
        raise errors.bad_request(
            "api.config.update_config.clear_siteurl.app_error", "Site URL cannot be cleared."
        )
    await _check_file_storage(rt.settings, changes)
    fields = wire_fields()
    async with transaction(rt) as tx:
        await config_store.lock_for_update(tx.conn)
        stored = _decode_stored(await config_store.load_values(tx.conn))
        check_settings(effective_settings(rt.base_settings, {**stored, **changes}))
        changed = {
            name: value for name, value in changes.items() if stored.get(name, fields[name].default) != value
        }
        # Only what differs from its default is kept, so a later release's better default applies.
        kept = {
            fields[name].wire.path: fields[name].to_wire(value)
            for name, value in changed.items()
            if value != fields[name].default
        }
        dropped = [fields[name].wire.path for name, value in changed.items() if value == fields[name].default]
        await config_store.save_values(tx.conn, kept, now_ms_of(rt.clock))
        await config_store.delete_values(tx.conn, dropped)
        if changed:
            # Which settings, not their values: some are secrets.
            await audit.record(
                tx.conn,
                rt.settings,
                audit.CONFIG_CHANGED,
                details={"settings": sorted(fields[name].wire.path for name in changed)},
            )
            tx.publish(Event.settings_changed())
    await load_config(rt)
    return rt.settings


async def _check_file_storage(current: Settings, changes: Mapping[str, Any]) -> None:
    """A bucket that is missing or refuses its keys is refused here, with Mattermost's id from its
    connection test, rather than failing every upload after the change."""
    if not any(name == "file_driver" or name.startswith("s3_") for name in changes):
        return
    try:
        proposed = current.model_copy(update=dict(changes))
    except ValidationError:
        return  # check_settings answers for it
    if proposed.file_driver != "amazons3":
        return
    options = S3Options.from_settings(proposed)
    if current.file_driver == "amazons3" and options == S3Options.from_settings(current):
        return
    storage = S3Storage(options)
    try:
        await storage.check()
    except StorageUnavailable as error:
        raise errors.bad_request(error.error_id, error.message) from error
    finally:
        storage.close()


async def reload_config(rt: Runtime) -> None:
    """Reads the TOML file again (the environment cannot change under a running process) and the
    stored settings, here and in every other process."""
    try:
        rt.base_settings = reread_base_settings(rt.base_settings)
    except (OSError, ValueError, ValidationError) as exc:
        raise errors.bad_request(
            "api.config.reload_config.app_error", "Failed to reload configuration file.", str(exc)
        ) from exc
    await load_config(rt)
    await rt.bus.publish([Event.settings_changed(reread_file=True)])


def reread_base_settings(old: Settings) -> Settings:
    """The environment and the TOML file as they are now, for the runtime settings; the settings
    read only at start keep the values this process started with."""
    runtime_names = wire_fields()
    fixed = {name: getattr(old, name) for name in type(old).model_fields if name not in runtime_names}
    return Settings(**fixed)


async def load_config(rt: Runtime) -> None:
    """Makes `rt.settings` the base settings with the stored ones laid over them."""
    async with rt.config_lock:
        async with rt.db.read() as conn:
            stored = _decode_stored(await config_store.load_values(conn))
            latest_terms = await terms_store.latest_terms(conn)
        rt.latest_terms_id = latest_terms["id"] if latest_terms else ""
        apply_settings(rt, effective_settings(rt.base_settings, stored))


def apply_settings(rt: Runtime, new: Settings) -> None:
    """Replaces the settings whole (code holding the old object keeps a consistent view), adjusts
    what was built from them, and tells this process's clients with config_changed."""
    old = rt.settings
    if _runtime_values(old) == _runtime_values(new):
        return
    rt.settings = new
    rt.hub.settings = new
    if new.enable_custom_terms_of_service and not old.enable_custom_terms_of_service:
        # Sockets opened before the terms were required would go on hearing everything.
        terms_actions.terms_changed_here(rt)
    for counter, limit in (
        (rt.login_failures_by_account, new.login_failures_per_account),
        (rt.login_failures_by_address, new.login_failures_per_address),
    ):
        counter.limit = limit
        counter.window_seconds = new.login_window_seconds
    # Each process tells its own sockets, once it has the new settings itself, so a client that
    # asks for /config/client on hearing this gets the new values from whichever process answers.
    config = render_client_config(new, rt.diagnostic_id, signing_public_key(rt), rt.latest_terms_id)
    rt.hub.deliver(Event("config_changed", {"config": config}, Broadcast()))


async def follow_config_changes(rt: Runtime) -> None:
    """Reloads the settings whenever another process announces a change (or events were lost).
    Without Redis no other process can announce one, yet the shell's `villagepump config set`
    stores one from another process: a lone server then reads the stored settings again every
    few seconds (a read of a small table; nothing is applied when nothing changed)."""
    recheck = None if rt.settings.redis_url else _LOCAL_RECHECK_SECONDS
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(rt.config_stale.wait(), recheck)
        rt.config_stale.clear()
        try:
            await load_config(rt)
        except Exception:
            log.exception("could not reload the settings; trying again")
            await rt.clock.sleep(_RETRY_SECONDS)
            rt.config_stale.set()


def _runtime_values(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in wire_fields()}


def _decode_stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values by field name. One this release cannot read (a setting since removed, or of
    another type) is skipped rather than stopping the server."""
    by_path = wire_field_by_path()
    decoded: dict[str, Any] = {}
    for path, value in values.items():
        field = by_path.get(path)
        if field is None:
            continue
        try:
            decoded[field.name] = field.from_wire(field.check_type(value))
        except errors.APIError:
            log.warning("ignoring the stored setting %s: %r is not a valid value", path, value)
    return decoded

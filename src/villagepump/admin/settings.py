"""`villagepump config show|get|set|reset`: the runtime settings (decision 0008), under
Mattermost's names, changed through the same action and validation as PUT /api/v4/config/patch.
Secrets never leave the server: a secret that is set reads as Mattermost's mask."""

import argparse
import contextlib
import json
import sys
from typing import Any

from villagepump.admin.output import print_json, print_table
from villagepump.admin.running import add_command, runtime_command
from villagepump.config import FAKE_SETTING, Settings, WireField, decode_wire, wire_fields
from villagepump.errors import APIError
from villagepump.runtime import Runtime

_ENV_PREFIX = "VILLAGEPUMP_"


def find_setting(given: str) -> WireField:
    """By Mattermost's `Section.Key` (or the key alone, if no other section has it), the
    setting's own name (`site_name`) or its environment variable (`VILLAGEPUMP_SITE_NAME`), in
    any case."""
    wanted = given.strip().lower()
    wanted = wanted.removeprefix(_ENV_PREFIX.lower())
    for field in wire_fields().values():
        if wanted in (field.wire.path.lower(), field.name):
            return field
    # A key alone, when only one section has it.
    by_key = [f for f in wire_fields().values() if f.wire.key.lower() == wanted]
    if len(by_key) == 1:
        return by_key[0]
    raise APIError(
        404,
        "api.config.get.unknown_setting.app_error",
        f"No runtime setting {given!r}; `villagepump config show` lists them.",
    )


def _shown(field: WireField, settings: Settings) -> Any:
    value = field.to_wire(getattr(settings, field.name))
    return FAKE_SETTING if field.wire.secret and value else value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


async def _sources(rt: Runtime) -> dict[str, str]:
    """Where each setting's value comes from: the environment or file (which win), the database,
    or the default."""
    from villagepump.store import config as config_store

    async with rt.db.read() as conn:
        stored_paths = set(await config_store.load_values(conn))
    locked = rt.base_settings.locked
    return {
        name: "environment"
        if name in locked
        else "database"
        if field.wire.path in stored_paths
        else "default"
        for name, field in wire_fields().items()
    }


@runtime_command
async def _show(rt: Runtime, args: argparse.Namespace) -> None:
    fields = list(wire_fields().values())
    if args.key:
        prefix = args.key.lower().rstrip(".") + "."
        by_section = [f for f in fields if f.wire.path.lower().startswith(prefix)]
        fields = by_section or [find_setting(args.key)]
    sources = await _sources(rt)
    if args.json:
        sections: dict[str, dict[str, Any]] = {}
        for field in fields:
            sections.setdefault(field.wire.section, {})[field.wire.key] = _shown(field, rt.settings)
        print_json(sections)
        return
    print_table(
        ("SETTING", "SOURCE", "VALUE"),
        [(f.wire.path, sources[f.name], _text(_shown(f, rt.settings))) for f in fields],
    )


@runtime_command
async def _get(rt: Runtime, args: argparse.Namespace) -> None:
    field = find_setting(args.key)
    value = _shown(field, rt.settings)
    print(json.dumps(value) if args.json else _text(value))


_KINDS = {bool: "true or false", int: "a whole number", float: "a number", list: "a JSON list", str: "text"}


def _typed(field: WireField, raw: str) -> Any:
    """The command line's text as the setting's JSON value: a text setting takes it as it is;
    others read it as JSON (`true`, `30`, `["a", "b"]`)."""
    candidates: list[Any] = [raw]
    with contextlib.suppress(ValueError):
        candidates.append(json.loads(raw))
    for candidate in candidates:
        try:
            return field.check_type(candidate)
        except APIError:
            continue
    kind = _KINDS.get(type(field.default), "a JSON value")
    raise APIError(
        400,
        "api.context.invalid_body_param.app_error",
        f"{field.wire.path} takes {kind}, not {raw!r}; nothing changed.",
    )


async def _change(rt: Runtime, field: WireField, value: Any) -> Settings:
    """As PUT /config/patch: decoded and type-checked by the API's decoder, validated and stored
    by its action (audit entry, settings_changed to every process)."""
    from villagepump.actions import config as config_actions

    if field.name in rt.base_settings.locked:
        raise APIError(
            400,
            "api.config.update_config.locked.app_error",
            f"{field.wire.path} is set by the environment or the settings file "
            f"({_ENV_PREFIX}{field.name.upper()}), which win over the database; nothing changed.",
        )
    changes = decode_wire({field.wire.section: {field.wire.key: value}}, complete=False)
    return await config_actions.update_config(rt, changes)


@runtime_command
async def _set(rt: Runtime, args: argparse.Namespace) -> None:
    field = find_setting(args.key)
    raw = sys.stdin.readline().rstrip("\r\n") if args.value == "-" else args.value
    if field.wire.secret and raw == FAKE_SETTING:
        raise APIError(400, "api.config.update_config.masked.app_error", "That is the mask, not a value.")
    settings = await _change(rt, field, _typed(field, raw))
    shown = _shown(field, settings)
    print(json.dumps({field.wire.path: shown}) if args.json else f"{field.wire.path} = {_text(shown)}")


@runtime_command
async def _reset(rt: Runtime, args: argparse.Namespace) -> None:
    field = find_setting(args.key)
    settings = await _change(rt, field, field.to_wire(field.default))
    shown = _shown(field, settings)
    done = f"{field.wire.path} is back to its default: {_text(shown)}"
    print(json.dumps({field.wire.path: shown}) if args.json else done)


def add_config_commands(commands: Any) -> None:
    config = commands.add_parser("config", help="the runtime settings").add_subparsers(
        dest="config_command", required=True
    )
    show = add_command(config, "show", _show, "settings in force and where each comes from (secrets masked)")
    show.add_argument("key", nargs="?", help="one setting (Section.Key) or a whole section")
    add_command(config, "get", _get, "one setting's value (secrets masked)").add_argument("key")
    changing = add_command(config, "set", _set, "change a setting, validated as PUT /api/v4/config is")
    changing.add_argument("key", help="Section.Key, as in Mattermost's config.json (or VILLAGEPUMP_NAME)")
    changing.add_argument(
        "value", help="text for a text setting; JSON (true, 30, [...]) for others; - reads it from stdin"
    )
    add_command(config, "reset", _reset, "put a setting back to its default").add_argument("key")

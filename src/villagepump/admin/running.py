"""Running an administration command: the runtime of a short-lived process, and the options
every command has."""

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from villagepump.runtime import Runtime

Handler = Callable[[argparse.Namespace], None]


def run(work: Callable[[Runtime], Awaitable[None]]) -> None:
    """Runs `work` with a runtime whose events go out on the bus as the API's do: with Redis, to
    every running server at once."""
    from villagepump.cli import _with_runtime

    asyncio.run(_with_runtime(work))


def runtime_command(work: Callable[[Runtime, argparse.Namespace], Awaitable[None]]) -> Handler:
    """The handler of a command that does all its work in the runtime, with the parsed arguments."""

    def handler(args: argparse.Namespace) -> None:
        run(lambda rt: work(rt, args))

    return handler


def add_command(group: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    command: argparse.ArgumentParser = group.add_parser(name, help=help_text, description=help_text)
    command.add_argument("--json", action="store_true", help="print JSON, for scripts")
    command.set_defaults(handler=handler)
    return command


def add_actor_option(command: argparse.ArgumentParser, *, required: bool = False) -> None:
    """`--as USER`: the change is made as that user, with their rights, as if through the API."""
    default = "" if required else " (default: the operator, as a system admin)"
    command.add_argument("--as", dest="actor", required=required, help=f"who does it{default}")

"""The administration commands' place in `villagepump`: beside `user create` in the `user`
group, and the `team`, `channel`, `role` and `config` groups of their own."""

from typing import Any

from villagepump.admin.channels import add_channel_commands
from villagepump.admin.roles import add_role_commands
from villagepump.admin.settings import add_config_commands
from villagepump.admin.teams import add_team_commands
from villagepump.admin.users import add_user_commands


def add_commands(commands: Any, user: Any) -> None:
    """`commands` is the top-level subparsers, `user` the `user` group's."""
    add_user_commands(user)
    add_team_commands(commands)
    add_channel_commands(commands)
    add_role_commands(commands)
    add_config_commands(commands)

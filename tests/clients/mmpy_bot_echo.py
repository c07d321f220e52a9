"""A bot written with mmpy_bot, run by tests/clients/test_mmpy_bot.py as its own process:
it answers "ping <words>" with "pong <words>" in the message's thread. Configured by the
environment: MM_URL (http://host), MM_PORT, MM_TOKEN, MM_TEAM."""

import os

from mmpy_bot import Bot, Message, Plugin, Settings, listen_to


class Echo(Plugin):
    @listen_to("^ping (.*)$")
    async def ping(self, message: Message, words: str) -> None:
        self.driver.reply_to(message, f"pong {words}")


def main() -> None:
    settings = Settings(
        MATTERMOST_URL=os.environ["MM_URL"],
        MATTERMOST_PORT=int(os.environ["MM_PORT"]),
        MATTERMOST_API_PATH="/api/v4",
        BOT_TOKEN=os.environ["MM_TOKEN"],
        BOT_TEAM=os.environ["MM_TEAM"],
        SSL_VERIFY=False,
    )
    Bot(settings=settings, plugins=[Echo()]).run()


if __name__ == "__main__":
    main()

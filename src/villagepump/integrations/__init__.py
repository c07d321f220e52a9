"""Integrations: bots, webhooks, custom slash commands and interactive messages, and the calls
they make to other servers."""

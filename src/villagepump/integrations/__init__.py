"""Bots, webhooks and the calls they make to other servers."""

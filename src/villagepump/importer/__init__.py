"""Mattermost bulk import and export (JSON Lines, or a zip with attachments under data/)."""

"""Mattermost-shaped JSON for each object, shared by REST responses and WebSocket events."""

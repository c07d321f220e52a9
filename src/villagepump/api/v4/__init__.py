"""Mattermost REST API v4 routes, one module per area."""

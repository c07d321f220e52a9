"""Test support: a real server process per database, API clients, and named example users."""

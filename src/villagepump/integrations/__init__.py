"""Custom slash commands and interactive messages: what is sent to an integration and read back."""

"""HTTP and WebSocket routes: parse, check permission, call one action, render. No SQL here."""

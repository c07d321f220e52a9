"""The built-in IRC bridge: one relay connection per network (docs/bridges.md, decision 0030)."""

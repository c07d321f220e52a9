"""The only code that changes state: one function per user-visible operation.

Each runs in one transaction and publishes its events after commit, so a client never hears
about a row that a rolled-back transaction did not write. The API, the CLI, bridges and jobs
all call these, so every path sends the same events.
"""

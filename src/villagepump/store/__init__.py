"""Tables and queries: one module per concept. No HTTP, no events, no permission logic here."""

from sqlalchemy import RowMapping

# A fetched row, keyed by column name; renderers and actions read it like a dict.
Row = RowMapping

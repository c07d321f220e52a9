"""Link previews: the OpenGraph data and image sizes of the links in posts, fetched in the
background by a client that only ever connects to public addresses (docs/decisions/0019)."""

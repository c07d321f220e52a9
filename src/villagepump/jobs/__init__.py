"""Background work owned by the server's runtime: recurring jobs (session expiry, ...), jobs an
admin starts, and the outbox's side effects (HTTP deliveries, ...), shared by every process."""

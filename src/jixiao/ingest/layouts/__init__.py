"""ingest/layouts."""

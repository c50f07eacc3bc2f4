"""HTTP: the JSON API under /api/v1 and the Chinese pages, over the same services."""

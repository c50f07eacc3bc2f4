"""Projects: list with filters, detail, header edits, versions."""

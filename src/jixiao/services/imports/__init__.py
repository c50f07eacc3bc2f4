"""Imports: read an uploaded table, preview what it changes, apply it in one transaction."""

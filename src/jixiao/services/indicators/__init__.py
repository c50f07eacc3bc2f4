"""Indicators: create, update, delete and reorder, validated by the domain model."""

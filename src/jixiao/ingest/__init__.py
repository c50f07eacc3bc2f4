"""Messy published tables → domain objects, with every repair and warning recorded."""

"""Accounts, roles, password hashing, browser sessions and API tokens."""

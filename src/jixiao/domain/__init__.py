"""Pure data and invariants: no I/O, no database, no web."""

"""The standard tables out, in the official layouts (Excel and PDF)."""

"""lambkin's Python runtime internals; the entry point is ../bootstrap.py."""

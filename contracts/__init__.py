"""The public boundary: message models, topic names and their registry (see docs/boundary.md)."""

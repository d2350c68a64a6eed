"""What several services use: the pure domain, the store, messaging and settings."""

"""Where tokens are kept beyond the process: persistent caches, authority metadata, lockout records."""

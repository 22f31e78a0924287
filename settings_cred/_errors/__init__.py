"""The exception classes behind ``settings_cred.errors`` (which documents and exports them)."""

"""marshmallow schemas: what the API accepts and returns (only backend.api imports them)."""

"""Secrets kept in instance/: made on first run, never overwritten, never in the database."""

import base64
import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)
NOTE_KEY_FILE = "note_key"


def _read_or_create(path: Path, make) -> str:
    """Read a secret file, creating it (mode 0600) only if it does not exist yet."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        value = make()
        handle.write(value + "\n")
    return value


def load_instance_secrets(instance_path: str) -> dict:
    """SECRET_KEY and NOTE_KEY from the environment, else from instance/ (made if missing)."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    secret_key = os.environ.get("SECRET_KEY") or _read_or_create(
        folder / SECRET_KEY_FILE, lambda: secrets.token_urlsafe(48)
    )
    note_key = os.environ.get("NOTE_KEY") or _read_or_create(
        folder / NOTE_KEY_FILE, lambda: base64.b64encode(secrets.token_bytes(32)).decode()
    )
    return {"SECRET_KEY": secret_key, "NOTE_KEY": note_key}

"""Blob storage for signatures and photos, under `DATA_DIR/blobs`, outside any
static folder. Keys are made by the server (random), never from a file name.

Every file is encrypted (AES-256-GCM, the blob's key as associated data, see
`backend.adapters.crypto`): a copy of the folder shows no ID card and no signature
without `DATA_KEY`. Files are created 0600 and folders 0700."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from backend.adapters.crypto import Keyring, is_sealed


class BlobStore:
    def __init__(self, root: str | Path, keyring: Keyring | None = None):
        self.root = Path(root)
        self._keyring = keyring

    @property
    def keyring(self) -> Keyring:
        """The app's keyring unless one was given (a store made in a test fixture
        encrypts with the key of the app it serves)."""
        if self._keyring is not None:
            return self._keyring
        from flask import current_app
        return current_app.extensions["crypto"]

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError("bad blob key")
        return self.root / key[:2] / key

    def _write(self, path: Path, data: bytes) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)  # a reader never sees half a file
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def put(self, content: bytes, suffix: str) -> str:
        key = secrets.token_hex(16) + suffix
        self._write(self._path(key), self.keyring.seal(content, key))
        return key

    def get(self, key: str) -> bytes:
        sealed = self._path(key).read_bytes()  # FileNotFoundError first: a missing blob is just missing
        return self.keyring.open(sealed, key)

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            pass

    def stored(self):
        """Every stored key with the time its file was last written (UTC)."""
        from datetime import datetime, timezone
        if not self.root.is_dir():
            return
        for path in self.root.glob("*/*"):
            if path.is_file() and not path.name.endswith(".tmp") and not path.name.startswith("."):
                yield path.name, datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)

    def seal_plain_files(self) -> int:
        """Encrypt the files written before blobs were encrypted (run by
        `flask db-upgrade`); files already encrypted are left alone. Safe to rerun."""
        count = 0
        if not self.root.is_dir():
            return 0
        for path in sorted(self.root.glob("*/*")):
            if not path.is_file() or path.name.endswith(".tmp") or path.name.startswith("."):
                continue
            content = path.read_bytes()
            if is_sealed(content):
                continue
            self._write(path, self.keyring.seal(content, path.name))
            count += 1
        return count

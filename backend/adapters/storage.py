"""Blob storage for signatures and photos, under `DATA_DIR/blobs`, outside any
static folder. Keys are made by the server (random), never from a file name."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class BlobStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError("bad blob key")
        return self.root / key[:2] / key

    def put(self, content: bytes, suffix: str) -> str:
        key = secrets.token_hex(16) + suffix
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)  # a reader never sees half a file
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            pass

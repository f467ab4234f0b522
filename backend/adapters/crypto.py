"""Personal data at rest: AES-256-GCM for values and files, an HMAC blind index for
the lookups that need equality.

One setting, `DATA_KEY`: 32 random bytes written in base64 (the standard or the
URL-safe alphabet, padding optional), e.g.
`python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`.
Nothing uses it directly: HKDF-SHA256 derives one key per purpose from it (values,
files, the blind index), so a blind index never shares a key with a ciphertext.

A value is stored as `v1:` + base64url(nonce ‖ ciphertext ‖ tag), with a random
96-bit nonce each time: the same phone number encrypts differently twice, and
equality can only be asked through the blind index. The `v1` names the key and
format, so a later key can be added as `v2` and old rows re-encrypted at leisure.
A file is `YB1` ‖ nonce ‖ ciphertext ‖ tag, with the file's key (its name) as
associated data, so a file renamed or swapped for another does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
VALUE_PREFIX = "v1:"
FILE_MAGIC = b"YB1"


class BadDataKey(ValueError):
    """DATA_KEY is not 32 bytes of base64."""


def parse_key(text: str | bytes) -> bytes:
    """The 32 key bytes from the setting's base64 text (raw bytes are taken as they are)."""
    if isinstance(text, bytes) and len(text) == KEY_BYTES:
        return text
    raw = text.decode() if isinstance(text, bytes) else text
    raw = raw.strip()
    try:
        padded = raw + "=" * (-len(raw) % 4)
        key = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise BadDataKey("DATA_KEY must be base64 of 32 random bytes") from None
    if len(key) != KEY_BYTES:
        raise BadDataKey(f"DATA_KEY must be base64 of {KEY_BYTES} random bytes (it decodes to {len(key)})")
    return key


def new_key_text() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def write_private_file(path: Path, text: str) -> None:
    """Create `path` readable by its owner only (0600), never over an existing file;
    its directory is created 0700 when missing."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"yibao " + purpose).derive(master)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Keyring:
    """The keys derived from one DATA_KEY."""

    def __init__(self, data_key: str | bytes):
        master = parse_key(data_key)
        self._values = AESGCM(_derive(master, b"values v1"))
        self._files = AESGCM(_derive(master, b"files v1"))
        self._index = _derive(master, b"blind index v1")

    # --- values ---------------------------------------------------------------------

    def encrypt(self, plain: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        return VALUE_PREFIX + _b64(nonce + self._values.encrypt(nonce, plain.encode(), None))

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(VALUE_PREFIX):
            raise ValueError("not an encrypted value (no v1: prefix)")
        data = _unb64(stored[len(VALUE_PREFIX):])
        return self._values.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], None).decode()

    def blind_index(self, plain: str) -> str:
        """HMAC-SHA256 of the value, hex: equal values give equal indexes, and without
        the key the index says nothing (an ID number cannot be guessed from it)."""
        return hmac.new(self._index, plain.encode(), hashlib.sha256).hexdigest()

    # --- files ----------------------------------------------------------------------

    def seal(self, content: bytes, name: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return FILE_MAGIC + nonce + self._files.encrypt(nonce, content, name.encode())

    def open(self, sealed: bytes, name: str) -> bytes:
        if not is_sealed(sealed):
            raise ValueError("not an encrypted file")
        body = sealed[len(FILE_MAGIC):]
        return self._files.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], name.encode())


def is_sealed(content: bytes) -> bool:
    return content.startswith(FILE_MAGIC)


def is_encrypted(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(VALUE_PREFIX)


def encrypt_json(ring: Keyring, value: Any) -> str:
    return ring.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def decrypt_json(ring: Keyring, stored: str) -> Any:
    return json.loads(ring.decrypt(stored))

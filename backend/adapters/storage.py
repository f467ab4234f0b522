"""Blob storage for signatures and photos: one interface, two places.

- `LocalBlobStore`: a folder, `DATA_DIR/blobs` by default, outside any static folder;
  files created 0600 and folders 0700. Enough for one server.
- `S3BlobStore`: a bucket of S3-compatible object storage (AWS S3, MinIO, Aliyun OSS
  and Tencent COS in their S3 mode), through boto3: what several servers share.

`BLOB_STORE` chooses (`from_config`): unset or `local` for the folder, a path for
another folder, `s3://bucket[/prefix]` for a bucket, with `S3_ENDPOINT_URL` (unset:
AWS itself), `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_REGION` (or
`AWS_DEFAULT_REGION`).

Keys are made by the server (random), never from a file name. Every blob is
encrypted before it leaves the app (AES-256-GCM, the blob's key as associated data,
see `backend.adapters.crypto`), wherever it is kept: a copy of the folder or of the
bucket shows no ID card and no signature without `DATA_KEY`.

A blob that is not there raises `BlobMissing` (a `FileNotFoundError`), whichever the
store; a store that cannot be reached raises `BlobStoreUnavailable`."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from backend.adapters.crypto import Keyring, is_sealed


class BlobMissing(FileNotFoundError):
    """The record names a blob the store does not have."""


class BlobStoreUnavailable(RuntimeError):
    """The store did not answer (object storage down, refused, misconfigured)."""


def _check_key(key: str) -> str:
    if not key or "/" in key or "\\" in key or key.startswith("."):
        raise ValueError("bad blob key")
    return key


class BlobStore:
    """What every store does; a subclass says where the sealed bytes go
    (`_write`, `raw`, `_remove`, `_listing`)."""

    where = "?"

    def __init__(self, keyring: Keyring | None = None):
        self._keyring = keyring

    @property
    def keyring(self) -> Keyring:
        """The app's keyring unless one was given (a store made in a test fixture
        encrypts with the key of the app it serves)."""
        if self._keyring is not None:
            return self._keyring
        from flask import current_app
        return current_app.extensions["crypto"]

    # --- the interface ---------------------------------------------------------------

    def put(self, content: bytes, suffix: str) -> str:
        key = secrets.token_hex(16) + suffix
        self._write(key, self.keyring.seal(content, key))
        return key

    def get(self, key: str) -> bytes:
        sealed = self.raw(key)  # BlobMissing first: a missing blob is just missing
        return self.keyring.open(sealed, key)

    def delete(self, key: str) -> None:
        """Gone afterwards; a blob already gone is no error."""
        self._remove(_check_key(key))

    def stored(self) -> Iterator[tuple[str, datetime]]:
        """Every stored key with the time it was last written (UTC)."""
        for key, written in self._listing():
            if not key.endswith(".tmp") and not key.startswith("."):
                yield key, written

    def seal_plain_files(self) -> int:
        """Encrypt the blobs written before blobs were encrypted (run by
        `flask db-upgrade`); blobs already encrypted are left alone. Safe to rerun."""
        count = 0
        for key, _ in sorted(self.stored()):
            try:
                content = self.raw(key)
            except BlobMissing:
                continue  # deleted meanwhile
            if is_sealed(content):
                continue
            self._write(key, self.keyring.seal(content, key))
            count += 1
        return count

    # --- where the bytes go -----------------------------------------------------------

    def raw(self, key: str) -> bytes:
        """The stored (sealed) bytes, as they lie on disk or in the bucket."""
        raise NotImplementedError

    def _write(self, key: str, sealed: bytes) -> None:
        raise NotImplementedError

    def _remove(self, key: str) -> None:
        raise NotImplementedError

    def _listing(self) -> Iterator[tuple[str, datetime]]:
        raise NotImplementedError


class LocalBlobStore(BlobStore):
    """A folder: `<root>/<first two characters>/<key>`."""

    def __init__(self, root: str | Path, keyring: Keyring | None = None):
        super().__init__(keyring)
        self.root = Path(root)
        self.where = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)[:2] / key

    def _write(self, key: str, sealed: bytes) -> None:
        path = self._path(key)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(sealed)
            os.replace(tmp, path)  # a reader never sees half a file
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def raw(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise BlobMissing(key) from None

    def _remove(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _listing(self):
        if not self.root.is_dir():
            return
        for path in self.root.glob("*/*"):
            if path.is_file():
                yield path.name, datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


class S3BlobStore(BlobStore):
    """A bucket of S3-compatible object storage: object `<prefix><key>`. The bucket
    is made by whoever runs the service (it is not created here); the credentials
    need GetObject, PutObject, DeleteObject and ListBucket on it."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 access_key_id: str | None = None, secret_access_key: str | None = None,
                 region: str | None = None, keyring: Keyring | None = None):
        super().__init__(keyring)
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.where = f"s3://{bucket}/{self.prefix}" + (f" at {endpoint_url}" if endpoint_url else "")
        self._settings = dict(endpoint_url=endpoint_url or None, aws_access_key_id=access_key_id or None,
                              aws_secret_access_key=secret_access_key or None, region_name=region or None)
        self._client = None

    @property
    def client(self):
        # Made on first use, in the process that uses it (gunicorn forks workers after
        # importing the app); a boto3 client is safe to share between threads.
        if self._client is None:
            import boto3
            from botocore.config import Config
            path_style = {"addressing_style": "path"} if self._settings["endpoint_url"] else {}
            self._client = boto3.client(
                "s3", **self._settings,
                config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                              s3=path_style))
        return self._client

    def _name(self, key: str) -> str:
        return self.prefix + _check_key(key)

    def _call(self, what: str, key: str | None, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            return getattr(self.client, what)(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if key is not None and code in ("NoSuchKey", "404", "NotFound"):
                raise BlobMissing(key) from None
            raise BlobStoreUnavailable(f"{self.where}: {what} answered {code or exc}") from None
        except BotoCoreError as exc:
            raise BlobStoreUnavailable(f"{self.where}: {what} failed: {type(exc).__name__}: {exc}") from None

    def _write(self, key: str, sealed: bytes) -> None:
        # One PUT: an object appears whole or not at all.
        self._call("put_object", None, Key=self._name(key), Body=sealed,
                   ContentType="application/octet-stream")

    def raw(self, key: str) -> bytes:
        answer = self._call("get_object", key, Key=self._name(key))
        return answer["Body"].read()

    def _remove(self, key: str) -> None:
        self._call("delete_object", None, Key=self._name(key))  # gone already: S3 says 204 too

    def _listing(self):
        token = None
        while True:
            page = self._call("list_objects_v2", None, Prefix=self.prefix,
                              **({"ContinuationToken": token} if token else {}))
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                if name and "/" not in name:
                    yield name, item["LastModified"].astimezone(timezone.utc)
            if not page.get("IsTruncated"):
                return
            token = page["NextContinuationToken"]

    def check(self) -> None:
        """Raise `BlobStoreUnavailable` unless the bucket answers."""
        self._call("head_bucket", None)


def parse_blob_store(text: str) -> tuple[str, str, str]:
    """`BLOB_STORE` as (kind, bucket or folder, prefix): `local`/empty, a folder, or
    `s3://bucket[/prefix]`."""
    text = (text or "").strip()
    if not text or text == "local":
        return "local", "", ""
    if text.startswith("s3://"):
        bucket, _, prefix = text.removeprefix("s3://").partition("/")
        if not bucket:
            raise ValueError(f"BLOB_STORE names no bucket: {text!r} (e.g. s3://yibao-blobs/prod)")
        return "s3", bucket, prefix
    if "://" in text:
        raise ValueError(f"BLOB_STORE is a folder or s3://bucket[/prefix], not {text!r}")
    return "local", text, ""


def from_config(config, keyring: Keyring | None = None) -> BlobStore:
    """The store the settings name (see the module's docstring)."""
    kind, where, prefix = parse_blob_store(config.get("BLOB_STORE", ""))
    if kind == "s3":
        return S3BlobStore(where, prefix, endpoint_url=config.get("S3_ENDPOINT_URL") or None,
                           access_key_id=config.get("AWS_ACCESS_KEY_ID") or None,
                           secret_access_key=config.get("AWS_SECRET_ACCESS_KEY") or None,
                           region=config.get("AWS_REGION") or None, keyring=keyring)
    return LocalBlobStore(Path(where) if where else Path(config["DATA_DIR"]) / "blobs", keyring)

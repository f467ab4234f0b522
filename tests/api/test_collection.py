"""The `.http` collection is the spec as requests: generated, committed, never stale."""

from __future__ import annotations

import json
import re
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import collection  # noqa: E402  (scripts/collection.py)


def test_the_committed_collection_is_what_the_spec_generates():
    spec = json.loads(collection.SPEC.read_text(encoding="utf-8"))
    assert collection.COLLECTION.read_text(encoding="utf-8") == collection.render(spec), (
        "openapi/yibao.http is stale: run `.venv/bin/python scripts/collection.py` and commit it")


def test_every_operation_of_the_spec_is_in_the_collection_with_its_example_body():
    spec = json.loads(collection.SPEC.read_text(encoding="utf-8"))
    text = collection.COLLECTION.read_text(encoding="utf-8")
    titles = set(re.findall(r"^### (\w+ \S+)", text, flags=re.M))
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "delete"):
                assert f"{method.upper()} {path.removeprefix('/api/v1')}" in titles
                example = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                if "example" in example and path != "/api/v1/auth/wx-login":
                    assert json.dumps(example["example"], ensure_ascii=False) in text
    for sample in re.findall(r"^< \.\./(\S+)$", text, flags=re.M):
        assert (ROOT / sample).is_file(), sample   # the files the uploads send are in the repo

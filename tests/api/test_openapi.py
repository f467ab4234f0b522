"""The spec is an artefact: generated from the code, committed, and kept in step."""

import json

from openapi_spec_validator import validate

from backend.cli import spec_json
from tests.conftest import ROOT

COMMITTED = ROOT / "openapi" / "openapi.json"


def test_the_committed_spec_is_what_the_code_generates(app):
    generated = spec_json(app)
    assert COMMITTED.read_text(encoding="utf-8") == generated, (
        "openapi/openapi.json drifted from the code: run "
        "`.venv/bin/flask --app backend write-spec` and commit the result")


def test_the_spec_is_valid_openapi(app):
    validate(json.loads(spec_json(app)))


def test_every_request_body_has_an_example(app):
    spec = json.loads(spec_json(app))
    schemas = spec["components"]["schemas"]
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body:
                continue
            for media_type, content in body["content"].items():
                if media_type == "multipart/form-data":
                    continue  # a file upload: the example is the file itself
                ref = content["schema"].get("$ref", "")
                schema = schemas.get(ref.rsplit("/", 1)[-1], content["schema"])
                if "example" not in content and "example" not in schema:
                    missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_the_spec_and_interactive_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "/api/v1/filings/{filing_id}/submit" in spec.json["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.data.lower()
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()


def test_every_field_a_client_sends_has_a_chinese_name_for_messages(app):
    from backend.domain.errors import FIELD_LABELS

    spec = json.loads(spec_json(app))
    names = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue  # path-level parameters: the ids in the path
            names |= {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            for content in (operation.get("requestBody") or {}).get("content", {}).values():
                ref = content["schema"].get("$ref", "")
                schema = spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], content["schema"])
                names |= set(schema.get("properties", {}))
    assert sorted(names - set(FIELD_LABELS)) == []

"""The error catalogue lists every code the code base can answer, with its real status."""

import ast
import re
from pathlib import Path

from backend.domain import error_codes
from backend.domain.error_codes import CATALOGUE, DOCUMENT_CODE_PREFIXES, WORKFLOW_NAMES
from backend.errors import HTTP_MESSAGES, STATUS_BY_KIND

BACKEND = Path(__file__).resolve().parents[2] / "backend"
KINDS = {"DomainError": "invalid", "Invalid": "invalid", "NotFound": "not_found", "Conflict": "conflict",
         "Unauthorized": "unauthorized", "Forbidden": "forbidden", "UnsupportedMedia": "unsupported_media",
         "TooLarge": "too_large"}
# Calls with a `code=` that is not an error code: rows of reference tables, and the
# prefix handed to documents.accepted (its family is expanded below).
NOT_ERRORS = {"Region", "Institution", "Team", "ServicePackage", "accepted"}
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")


def _sources():
    for path in sorted(BACKEND.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _raised_codes():
    """(code, class called, where) for every `X(..., code=...)` in backend/: literals as
    they are; the f-string families of workflow steps and accepted documents expanded."""
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in NOT_ERRORS:
                continue
            for keyword in node.keywords:
                if keyword.arg != "code":
                    continue
                where = f"{path.relative_to(BACKEND.parent)}:{node.lineno}"
                value = keyword.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.value, called, where
                elif isinstance(value, ast.JoinedStr):
                    for code in _expand(ast.unparse(value)):
                        yield code, called, where
                elif not (isinstance(value, ast.Name) and called == "Invalid"):
                    # `Invalid(message, code=code)` in adapters.images passes on a literal
                    # given to `_decoding(code=...)`, which is read above.
                    raise AssertionError(f"an error code this test cannot read: {where}")


FAMILIES = {
    # domain.workflow: f"{self.name}.not_editable" for each flow's name
    re.compile(r"^f'\{self\.name\}(\.[a-z_]+)'$"): WORKFLOW_NAMES,
    # services.documents.accepted: f"{code}_outdated" for each prefix passed to it
    re.compile(r"^f'\{code\}(_[a-z_]+)'$"): DOCUMENT_CODE_PREFIXES,
    # services.attachments: the photo step of the flows with a proxy path
    re.compile(r"^f'\{kit\.name\}(\.[a-z_]+)'$"): ("filing", "wi_filing"),
}


def _expand(template: str) -> list[str]:
    for pattern, heads in FAMILIES.items():
        match = pattern.match(template)
        if match:
            return [head + match.group(1) for head in heads]
    raise AssertionError(f"an f-string error code this test cannot expand: {template}")


def _class_codes():
    """`code = "..."` class attributes on DomainError subclasses, with their kind."""
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {t.id: s.value.value for s in node.body if isinstance(s, ast.Assign)
                     for t in s.targets if isinstance(t, ast.Name) and isinstance(s.value, ast.Constant)}
            if "code" in attrs and "kind" in attrs:
                yield attrs["code"], attrs["kind"], f"{path.relative_to(BACKEND.parent)}:{node.lineno}"


def _documents_accepted_prefixes():
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "accepted":
                for keyword in node.keywords:
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                        yield keyword.value.value


def _workflow_names():
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Workflow":
                for keyword in node.keywords:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                        yield keyword.value.value


def test_every_code_raised_in_the_backend_is_in_the_catalogue():
    missing = sorted({f"{code} ({where})" for code, _, where in _raised_codes() if code not in CATALOGUE})
    assert missing == [], "add these to backend/domain/error_codes.py: " + ", ".join(missing)


def test_each_raised_code_is_catalogued_with_the_status_it_is_answered_with():
    wrong = []
    for code, called, where in _raised_codes():
        kind = KINDS.get(called)
        if kind and code in CATALOGUE and CATALOGUE[code][0] != STATUS_BY_KIND[kind]:
            wrong.append(f"{code}: {called} → {STATUS_BY_KIND[kind]} ({where}), catalogue {CATALOGUE[code][0]}")
    for code, kind, where in _class_codes():
        if CATALOGUE.get(code, (None,))[0] != STATUS_BY_KIND[kind]:
            wrong.append(f"{code}: class default → {STATUS_BY_KIND[kind]} ({where})")
    assert wrong == []


def test_the_f_string_families_cover_every_flow_and_document_prefix():
    assert set(_workflow_names()) <= set(WORKFLOW_NAMES)
    assert set(_documents_accepted_prefixes()) <= set(DOCUMENT_CODE_PREFIXES)


def test_the_http_errors_and_the_fallbacks_are_in_the_catalogue_with_their_status():
    for status, (code, _) in HTTP_MESSAGES.items():
        assert CATALOGUE.get(code, (None,))[0] == status, code
    assert CATALOGUE["server.error"][0] == 500
    assert CATALOGUE["server.database_unavailable"][0] == 503


def test_every_entry_is_a_well_formed_code_with_an_error_status_and_a_chinese_message():
    for code, (status, message) in CATALOGUE.items():
        assert CODE.match(code), code
        assert 400 <= status < 600, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), code
        assert message.endswith("。"), code


def test_the_listing_is_sorted_by_code():
    codes = [entry["code"] for entry in error_codes.listing()]
    assert codes == sorted(codes) and len(codes) == len(CATALOGUE)

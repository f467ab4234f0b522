"""Answers written as JSON by orjson instead of the standard library, with Flask's rules.

Why: on a page of 20 filings (37 kB) `jsonify` was about 0.9 ms of CPU, orjson 0.16 ms
(issue 15). What a client receives is the same as from Flask's own provider:
UTF-8 without \\u escapes (`ensure_ascii` off), keys in the order of the answer (no
`sort_keys`), compact, a final newline; dates, times, Decimals, UUIDs and dataclasses
through Flask's own `default` (a `date` is an HTTP date, a Decimal its string). Only
floats may be written otherwise for the same number (`1e-7`, not `1e-07`); a NaN
(which the standard library writes as the invalid `NaN`) becomes `null`.

Anything orjson refuses (an integer beyond 64 bits, a key that is not a string) and
any other setting (indented in debug, ASCII, sorted keys) goes to Flask's provider.
Under TESTING every answer is written both ways and must read back the same.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

from backend.api.dumping import DumpMismatch, first_difference

# Dates, times and dataclasses as Flask writes them (through `default`), not orjson's way.
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    def response(self, *args: Any, **kwargs: Any):
        if self.ensure_ascii or self.sort_keys or self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=OPTIONS) + b"\n"
        except orjson.JSONEncodeError:
            return super().response(obj)
        if self._app.testing:
            self._check(body, obj)
        return self._app.response_class(body, mimetype=self.mimetype)

    def _check(self, body: bytes, obj: Any) -> None:
        flasks = super().response(obj).get_data()
        if body != flasks:
            difference = first_difference(json.loads(body), json.loads(flasks))
            if difference:
                raise DumpMismatch(f"orjson writes the answer otherwise than Flask: {difference}")

"""The bare baseline of `scripts/bench`: a plain Flask app, no database, no schema,
no hooks, served by the same gunicorn settings as the product.

    gunicorn 'bench_bare:create_app()'   (with scripts/ on the path)

`BENCH_PAYLOADS` names a JSON file the benchmark writes from the product's own
answers, `{"one": …, "list": …, "details": …}`, so that each bare route sends the
same bytes as the product route it is compared with (serialised anew each time, as
the product does). `SECRET_KEY`, `BENCH_TOKEN_ISSUER` and `BENCH_TOKEN_AUDIENCE`
are the product's, so the bare JWT route checks the very token the product does.

    GET  /one      P1's baseline: the JSON of one filing
    POST /details  P2's baseline: parses the JSON body, answers the filing
    GET  /list     P3's baseline: the JSON of a page of 20 records
    GET  /jwt      P7's baseline: the Bearer token checked by pyjwt, as the product's
                   `backend.adapters.tokens.read_access` does (HS256 pinned, the same
                   required claims, issuer and audience), answering `{"sub": …}`
"""

from __future__ import annotations

import json
import os
import time

import jwt
from flask import Flask, jsonify, request


def create_app() -> Flask:
    app = Flask(__name__)
    with open(os.environ["BENCH_PAYLOADS"], encoding="utf-8") as f:
        payloads = json.load(f)
    key = os.environ["SECRET_KEY"]
    issuer = os.environ.get("BENCH_TOKEN_ISSUER", "yibao")
    audience = os.environ.get("BENCH_TOKEN_AUDIENCE", "yibao-miniprogram")

    @app.get("/one")
    def one():
        return jsonify(payloads["one"])

    @app.post("/details")
    def details():
        body = request.get_json()
        if not isinstance(body, dict):
            return jsonify({"code": "request.bad"}), 400
        return jsonify(payloads["details"])

    @app.get("/list")
    def records():
        return jsonify(payloads["list"])

    @app.get("/jwt")
    def check():
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        try:
            claims = jwt.decode(token.strip(), key, algorithms=["HS256"], issuer=issuer, audience=audience,
                                options={"require": ["exp", "iat", "iss", "aud", "sub", "typ"],
                                         "verify_exp": False, "verify_iat": False})
        except jwt.PyJWTError:
            return jsonify({"code": "auth.token_invalid"}), 401
        if scheme.lower() != "bearer" or claims.get("typ") != "access" or int(claims["exp"]) <= time.time():
            return jsonify({"code": "auth.token_invalid"}), 401
        return jsonify({"sub": claims["sub"]})

    return app

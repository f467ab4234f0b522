"""The product as `scripts/bench` serves it: `backend.create_app()` unchanged, plus one
route the API does not have, for P7.

    gunicorn 'bench_product:create_app()'   (with scripts/ and the checkout on the path)

`GET /api/v1/bench/jwt` does what every logged-in route does before its own work,
and nothing else: `accounts.authenticate` (the access token checked by pyjwt, then
its login session and account read in one query) under all of the app's hooks
(the QA clock, protective headers, the rate limiter, the database session), and
answers `{"sub": "<account id>"}` (401 in the one error shape otherwise). Its
baseline is `bench_bare.py`'s `/jwt`: the same pyjwt decode in a plain Flask app.
Every other route is the product's own.
"""

from __future__ import annotations

from flask import jsonify, request

from backend import create_app as create_product
from backend.services import accounts


def create_app():
    app = create_product()

    def jwt_check():
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        actor = accounts.authenticate(token.strip() if scheme.lower() == "bearer" else None)
        return jsonify({"sub": str(actor.account_id)})

    app.add_url_rule("/api/v1/bench/jwt", "bench_jwt", jwt_check)
    return app

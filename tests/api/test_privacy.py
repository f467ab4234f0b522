"""Full ID numbers never reach a log, and a crash tells nothing about the inside."""

import logging

from backend import create_app
from backend.cli import RedactIdNumbers
from backend.errors import redact_id_numbers
from tests.conftest import PEOPLE, assert_error_shape


def test_id_numbers_are_redacted_wherever_they_stand_in_a_text():
    text = f"params ('{PEOPLE['王秀英']}', 'x') and GET /?id={PEOPLE['李明'][:-1]}x"
    redacted = redact_id_numbers(text)
    assert PEOPLE["王秀英"] not in redacted and "140***********0429" in redacted
    assert "140***********031x" in redacted
    assert redact_id_numbers("order 12345678901234567890 stays") == "order 12345678901234567890 stays"


def test_the_request_log_filter_redacts_query_strings():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"GET /x?n=%s HTTP/1.1" 200',
                               (PEOPLE["李明"],), None)
    RedactIdNumbers().filter(record)
    assert PEOPLE["李明"] not in record.getMessage()


def test_an_unexpected_crash_answers_the_error_shape_and_logs_no_id_number(app, caplog):
    crashing = create_app(dict(app.config))  # a route of its own, on an app of its own

    @crashing.get("/api/v1/test-crash")
    def crash():
        raise RuntimeError(f"boom with {PEOPLE['王秀英']} in SELECT * FROM insured_persons")

    with caplog.at_level(logging.ERROR):
        response = crashing.test_client().get("/api/v1/test-crash")
    crashing.extensions["db"].dispose()
    body = assert_error_shape(response, 500, "server.error")
    text = response.get_data(as_text=True)
    assert "SELECT" not in text and "boom" not in text and "Traceback" not in text
    assert "boom" in caplog.text and PEOPLE["王秀英"] not in caplog.text
    assert body["message"].startswith("系统繁忙")


def test_answers_to_a_logged_in_account_are_never_cached(login):
    liming = login("李明")
    response = liming.get("/api/v1/me")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

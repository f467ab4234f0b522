"""QA tools: mounted outside production only (backend/api/__init__.py)."""

from flask.views import MethodView

from backend.api.base import Blueprint
from backend.api.qa.schemas import ClockSchema, DailyJobsSchema, MoveClockSchema, PersonRequestSchema, PersonSchema
from backend.services import qa

blp = Blueprint("qa", __name__, url_prefix="/api/v1/qa",
                description="QA tools, outside production only: fresh people, the server's clock, the daily jobs")


@blp.route("/people")
class People(MethodView):
    @blp.arguments(PersonRequestSchema)
    @blp.response(201, PersonSchema)
    @blp.errors(422)
    def post(self, body):
        """A fresh insured person with a random valid ID number, and relatives recorded as
        household pairs; log in with `login_code` (real-named to them)."""
        return qa.make_person(body["scheme"], body["insured_region"], body.get("age"), body.get("relations"))


@blp.route("/clock")
class Clock(MethodView):
    @blp.response(200, ClockSchema)
    def get(self):
        """The server's clock (every worker reads the same)."""
        return qa.clock_state()

    @blp.arguments(MoveClockSchema)
    @blp.response(200, ClockSchema)
    @blp.errors(422)
    def put(self, body):
        """Move the clock to `now`, or on by `advance_days`. Tokens are checked against it:
        log in again after moving it far."""
        return qa.move_clock(body.get("now"), body.get("advance_days"))

    @blp.response(200, ClockSchema)
    def delete(self):
        """Back to real time."""
        return qa.reset_clock()


@blp.route("/daily-jobs")
class DailyJobs(MethodView):
    @blp.response(200, DailyJobsSchema)
    def post(self):
        """Run the daily jobs now, under the server's clock: expiry, then purge."""
        return qa.daily_jobs()

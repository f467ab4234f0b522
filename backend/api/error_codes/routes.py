from flask.views import MethodView

from backend.api.base import Blueprint
from backend.api.error_codes.schemas import ErrorCodeSchema
from backend.domain import error_codes

blp = Blueprint("error_codes", __name__, url_prefix="/api/v1", description="Every error code the API can answer")


@blp.route("/error-codes")
class ErrorCodes(MethodView):
    @blp.response(200, ErrorCodeSchema(many=True))
    def get(self):
        """The catalogue of every error `code`, sorted: its HTTP status and its meaning in
        Chinese. Every error answer has the shape `{code, status, message, errors}`."""
        return error_codes.listing()

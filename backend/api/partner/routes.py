from flask.views import MethodView

from backend.api.base import Blueprint
from backend.api.partner.schemas import SettlementRequestSchema, SettlementSchema
from backend.services import filings

blp = Blueprint("partner", __name__, url_prefix="/api/v1/partner",
                description="Partner side: hospitals and the settlement system (X-Partner-Key)")


@blp.route("/settlements")
class Settlements(MethodView):
    @blp.partner_required
    @blp.arguments(SettlementRequestSchema)
    @blp.response(201, SettlementSchema)
    @blp.errors(404, 409, 422)
    def post(self, body):
        """Record a settlement at the filing place; the filing can no longer be cancelled online."""
        return filings.record_settlement(body["filing_no"], body["amount"], body["settled_at"], body["institution"])

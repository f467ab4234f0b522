from flask.views import MethodView

from backend.api.base import Blueprint, current_partner
from backend.api.partner.schemas import SettlementRequestSchema, SettlementSchema, WhoAmISchema
from backend.services import filings, partners

blp = Blueprint("partner", __name__, url_prefix="/api/v1/partner",
                description="Partner side: hospitals and the settlement system (X-Partner-Key)")


@blp.route("/settlements")
class Settlements(MethodView):
    @blp.partner_required("settlement")
    @blp.arguments(SettlementRequestSchema)
    @blp.response(201, SettlementSchema)
    @blp.errors(404, 409, 422)
    def post(self, body):
        """Record a settlement at the filing place; the filing can no longer be cancelled online."""
        return filings.record_settlement(current_partner(), body["filing_no"], body["amount"], body["settled_at"],
                                         body["institution"])


@blp.route("/whoami")
class WhoAmI(MethodView):
    @blp.partner_required()
    @blp.response(200, WhoAmISchema)
    def get(self):
        """The key's organisation, role and scope."""
        return partners.whoami(current_partner())

"""工伤异地就医备案 (seed 001): the worker's side, the partner side (the insured place's
work-injury agency, the settlement system), the public verification and a QA tool."""

from flask.views import MethodView

from backend.api.attachments.routes import KIND
from backend.api.base import IDEMPOTENCY_KEY, Blueprint, EventSchema, current_actor, current_partner, idempotency_key
from backend.api.binary import PNG_RESPONSE, image_response
from backend.api.filings.schemas import FileSchema, NoticeSchema
from backend.api.wi_filings.schemas import (WiAgencyQuerySchema, WiCancelSchema, WiCreateSchema, WiDetailsSchema,
                                            WiInjurySchema, WiInjuryStepSchema, WiQaInjuryRequestSchema, WiQaInjurySchema,
                                            WiQuerySchema, WiRejectSchema, WiSettlementRequestSchema, WiSettlementSchema,
                                            WiVerificationSchema, WiFilingPageSchema, WiFilingSchema)
from backend.services import attachments, wi_filings

blp = Blueprint("wi_filings", __name__, url_prefix="/api/v1",
                description="工伤异地就医备案: work-injury cross-province filing (seed 001)")
partner_blp = Blueprint("wi_partner", __name__, url_prefix="/api/v1/partner",
                        description="Partner side of the work-injury filing: the insured place's agency "
                                    "(`wi_agency`) and the settlement system (`settlement`)")
qa_blp = Blueprint("wi_qa", __name__, url_prefix="/api/v1/qa",
                   description="QA tools, outside production only: the demo work-injury registry")


@blp.route("/me/work-injuries")
class MyInjuries(MethodView):
    @blp.login_required
    @blp.response(200, WiInjurySchema(many=True))
    @blp.errors(403)
    def get(self):
        """The bound person's recognised work injuries, from the work-injury registry (人社)."""
        return wi_filings.my_injuries(current_actor())


@blp.route("/wi-filings")
class Filings(MethodView):
    @blp.login_required
    @blp.arguments(WiCreateSchema)
    @blp.response(201, WiFilingSchema)
    @blp.errors(403, 409, 422)
    def post(self, body):
        """Start a draft for oneself (`self`) or, as an agent, for an injured worker (`other`)."""
        return wi_filings.create(current_actor(), body["for_whom"])

    @blp.login_required
    @blp.arguments(WiQuerySchema, location="query")
    @blp.response(200, WiFilingPageSchema)
    @blp.errors(403)
    def get(self, query):
        """Records: `for=self` (for me, whoever made them) or `for=other` (made by me as agent), newest first."""
        return wi_filings.records(current_actor(), query["for_whom"], query.get("status"), query["page"],
                                  query["per_page"])


@blp.route("/wi-filings/<int:filing_id>")
class Filing(MethodView):
    @blp.login_required
    @blp.response(200, WiFilingSchema)
    @blp.errors(404)
    def get(self, filing_id):
        """One work-injury filing, with its steps, what to do next and its settlements."""
        return wi_filings.get(current_actor(), filing_id)

    @blp.login_required
    @blp.response(204)
    @blp.errors(404, 409)
    def delete(self, filing_id):
        """Discard a draft."""
        wi_filings.discard(current_actor(), filing_id)


@blp.route("/wi-filings/<int:filing_id>/injury")
class Injury(MethodView):
    @blp.login_required
    @blp.arguments(WiInjuryStepSchema)
    @blp.response(200, WiFilingSchema)
    @blp.errors(403, 404, 409, 422)
    def put(self, body, filing_id):
        """Which recognised injury (and, for `other`, whose): 409 `wi_filing.no_recognition` with none
        on record, 409 `wi_filing.exists` while another work-injury filing is in force or pending."""
        return wi_filings.set_injury(current_actor(), filing_id, body)


@blp.route("/wi-filings/<int:filing_id>/notice")
class Notice(MethodView):
    @blp.login_required
    @blp.arguments(NoticeSchema)
    @blp.response(200, WiFilingSchema)
    @blp.errors(403, 404, 409, 422)
    def put(self, body, filing_id):
        """Accept the current `wi-filing-notice`."""
        return wi_filings.accept_notice(current_actor(), filing_id, body["accepted"], body["version"])


@blp.route("/wi-filings/<int:filing_id>/attachments/<string:kind>", parameters=[KIND])
class Upload(MethodView):
    @blp.login_required
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, WiFilingSchema)
    @blp.errors(403, 404, 409, 413, 415, 422)
    def post(self, files, filing_id, kind):
        """`other` only: a photo of the agent's or the worker's ID card or household register, cleaned
        as Flow A's; the step is done once both people have one."""
        return attachments.upload(current_actor(), filing_id, kind, files["file"].stream, kit=wi_filings.KIT)


@blp.route("/wi-filings/<int:filing_id>/attachments/<int:attachment_id>")
class Attachment(MethodView):
    @blp.login_required
    @blp.response(200, WiFilingSchema)
    @blp.errors(403, 404, 409)
    def delete(self, filing_id, attachment_id):
        """Delete a photo while the filing is a draft."""
        return attachments.delete(current_actor(), filing_id, attachment_id, kit=wi_filings.KIT)


@blp.route("/wi-filings/<int:filing_id>/details")
class Details(MethodView):
    @blp.login_required
    @blp.arguments(WiDetailsSchema)
    @blp.response(200, WiFilingSchema)
    @blp.errors(403, 404, 409, 422)
    def put(self, body, filing_id):
        """Filing type, destination (another province), dates, address, institution, referral,
        services settled directly, contact."""
        return wi_filings.set_details(current_actor(), filing_id, body)


@blp.route("/wi-filings/<int:filing_id>/signature")
class Signature(MethodView):
    @blp.login_required
    @blp.arguments(FileSchema, location="files")
    @blp.response(200, WiFilingSchema)
    @blp.errors(403, 404, 409, 413, 415, 422)
    def post(self, files, filing_id):
        """The `wi-filing-pledge` signed by hand (PNG); blank or a mere dot is refused."""
        return wi_filings.sign(current_actor(), filing_id, files["file"].read())


@blp.route("/wi-filings/<int:filing_id>/submit")
class Submit(MethodView):
    @blp.login_required
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.response(200, WiFilingSchema)
    @blp.errors(403, 404, 409, 422)
    def post(self, filing_id):
        """`residence` → `effective`; `referral` → `pending` until the insured place's agency answers."""
        return wi_filings.submit(current_actor(), filing_id, idempotency_key())


@blp.route("/wi-filings/<int:filing_id>/events")
class Events(MethodView):
    @blp.login_required
    @blp.response(200, EventSchema(many=True))
    @blp.errors(404)
    def get(self, filing_id):
        """The filing's history: step, time, who acted for whom."""
        return wi_filings.events(current_actor(), filing_id)


@blp.route("/wi-filings/<int:filing_id>/cancel")
class Cancel(MethodView):
    @blp.login_required
    @blp.arguments(WiCancelSchema)
    @blp.response(200, WiFilingSchema)
    @blp.errors(404, 409, 422)
    def post(self, body, filing_id):
        """Cancel (or withdraw one pending); 409 `wi_filing.settled` once a settlement happened."""
        return wi_filings.cancel(current_actor(), filing_id, body["reason"])


@blp.route("/wi-filings/<int:filing_id>/certificate.png")
class Certificate(MethodView):
    @blp.login_required
    @blp.doc(responses=PNG_RESPONSE)
    @blp.errors(404, 409)
    def get(self, filing_id):
        """A QR code holding the public verification URL of a filing in force."""
        return image_response(wi_filings.certificate_png(current_actor(), filing_id), "image/png",
                              f"wi-filing-certificate-{filing_id}.png")


@blp.route("/wi-filing-verifications/<string:token>")
class Verification(MethodView):
    @blp.response(200, WiVerificationSchema)
    @blp.errors(404)
    def get(self, token):
        """Public: is this work-injury filing real and in force? A masked name only."""
        return wi_filings.verify(token)


# --- partner side -------------------------------------------------------------------------

@partner_blp.route("/wi-filings")
class AgencyQueue(MethodView):
    @partner_blp.partner_required("wi_agency")
    @partner_blp.arguments(WiAgencyQuerySchema, location="query")
    @partner_blp.response(200, WiFilingPageSchema)
    def get(self, query):
        """The agency's filings (people insured in its region), oldest first; `status=pending`: to answer."""
        return wi_filings.agency_queue(current_partner(), query.get("status"), query["page"], query["per_page"])


@partner_blp.route("/wi-filings/<int:filing_id>/approve")
class Approve(MethodView):
    @partner_blp.partner_required("wi_agency")
    @partner_blp.response(200, WiFilingSchema)
    @partner_blp.errors(404, 409)
    def post(self, filing_id):
        """The insured place's agency approves a referral: `pending` → `effective`."""
        return wi_filings.approve(current_partner(), filing_id)


@partner_blp.route("/wi-filings/<int:filing_id>/reject")
class Reject(MethodView):
    @partner_blp.partner_required("wi_agency")
    @partner_blp.arguments(WiRejectSchema)
    @partner_blp.response(200, WiFilingSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, filing_id):
        """The agency refuses a referral with a reason the worker reads: `pending` → `rejected`."""
        return wi_filings.reject(current_partner(), filing_id, body["reason"])


@partner_blp.route("/wi-filings/<int:filing_id>/cancel")
class AgencyCancel(MethodView):
    @partner_blp.partner_required("wi_agency")
    @partner_blp.arguments(WiRejectSchema)
    @partner_blp.response(200, WiFilingSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, filing_id):
        """The agency ends a filing at the worker's request, also after a settlement (which
        the worker cannot do online): → `cancelled`."""
        return wi_filings.agency_cancel(current_partner(), filing_id, body["reason"])


@partner_blp.route("/wi-settlements")
class Settlements(MethodView):
    @partner_blp.partner_required("settlement")
    @partner_blp.arguments(WiSettlementRequestSchema)
    @partner_blp.response(201, WiSettlementSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body):
        """A work-injury bill settled directly, per service; the filing can no longer be cancelled online."""
        return wi_filings.record_settlement(current_partner(), body["filing_no"], body["settled_at"],
                                            body["institution"], body["amounts"])


# --- QA (outside production only) --------------------------------------------------------------

@qa_blp.route("/work-injuries")
class QaInjuries(MethodView):
    @qa_blp.arguments(WiQaInjuryRequestSchema)
    @qa_blp.response(201, WiQaInjurySchema)
    @qa_blp.errors(422)
    def post(self, body):
        """A recognised work injury in the demo registry for a person of the demo insurance
        registry (e.g. one made by `POST /qa/people`)."""
        return wi_filings.qa_record_injury(body["id_number"], body)

from flask.views import MethodView

from backend.api.base import IDEMPOTENCY_KEY, Blueprint, EventSchema, current_actor, idempotency_key
from backend.api.binary import PNG_RESPONSE, image_response
from backend.api.filings.schemas import (CancelSchema, CreateFilingSchema, DetailsSchema,
                                         FileSchema, FilingPageSchema, FilingQuerySchema, FilingSchema,
                                         InsuredSchema, NoticeSchema, VerificationSchema)
from backend.services import filings

blp = Blueprint("filings", __name__, url_prefix="/api/v1", description="异地就医备案: out-of-area filing")


@blp.route("/filings")
class Filings(MethodView):
    @blp.login_required
    @blp.arguments(CreateFilingSchema)
    @blp.response(201, FilingSchema)
    @blp.errors(403, 409, 422)
    def post(self, body):
        """Start a draft filing for oneself (`self`) or, as an agent, for someone else (`other`);
        409 `filing.too_many_drafts` when three drafts are already open."""
        return filings.create(current_actor(), body["for_whom"])

    @blp.login_required
    @blp.arguments(FilingQuerySchema, location="query")
    @blp.response(200, FilingPageSchema)
    @blp.errors(403)
    def get(self, query):
        """查看记录: `for=self` (filings for me, whoever made them) or `for=other`
        (filings I made as an agent), newest first."""
        return filings.records(current_actor(), query["for_whom"], query.get("status"), query["page"],
                               query["per_page"])


@blp.route("/filings/<int:filing_id>")
class Filing(MethodView):
    @blp.login_required
    @blp.response(200, FilingSchema)
    @blp.errors(404)
    def get(self, filing_id):
        """One filing, with its steps and what to do next."""
        return filings.get(current_actor(), filing_id)

    @blp.login_required
    @blp.response(204)
    @blp.errors(403, 404, 409)
    def delete(self, filing_id):
        """Discard a draft."""
        filings.discard(current_actor(), filing_id)


@blp.route("/filings/<int:filing_id>/insured")
class Insured(MethodView):
    @blp.login_required
    @blp.arguments(InsuredSchema)
    @blp.response(200, FilingSchema)
    @blp.errors(403, 404, 409, 422)
    def put(self, body, filing_id):
        """参保对象、参保身份、参保地: must match the registry, or the filing cannot go on."""
        return filings.set_insured(current_actor(), filing_id, body)


@blp.route("/filings/<int:filing_id>/notice")
class Notice(MethodView):
    @blp.login_required
    @blp.arguments(NoticeSchema)
    @blp.response(200, FilingSchema)
    @blp.errors(403, 404, 409, 422)
    def put(self, body, filing_id):
        """已阅读备案告知书: accept the current version of the filing notice."""
        return filings.accept_notice(current_actor(), filing_id, body["accepted"], body["version"])


@blp.route("/filings/<int:filing_id>/agent-declaration")
class AgentDeclaration(MethodView):
    @blp.login_required
    @blp.arguments(NoticeSchema)
    @blp.response(200, FilingSchema)
    @blp.errors(404, 409, 422)
    def put(self, body, filing_id):
        """Proxy path, seed 002's first 确认: the agent accepts the current
        `agent-declaration` (代办承诺书); signing it by hand comes next."""
        return filings.accept_agent_declaration(current_actor(), filing_id, body["accepted"], body["version"])


@blp.route("/filings/<int:filing_id>/agent-declaration/signature")
class AgentDeclarationSignature(MethodView):
    @blp.login_required
    @blp.arguments(FileSchema, location="files")
    @blp.response(200, FilingSchema)
    @blp.errors(404, 409, 413, 415, 422)
    def post(self, files, filing_id):
        """Proxy path, seed 002's first 签字: the agent signs the accepted declaration
        (PNG drawn by hand); the step is done once accepted and signed."""
        return filings.sign_agent_declaration(current_actor(), filing_id, files["file"].read())

    @blp.login_required
    @blp.doc(responses=PNG_RESPONSE)
    @blp.errors(404)
    def get(self, filing_id):
        """The agent's declaration signature, to the agent and the insured person only."""
        return image_response(filings.signature_png(current_actor(), filing_id, declaration=True), "image/png",
                              f"agent-declaration-signature-{filing_id}.png")


@blp.route("/filings/<int:filing_id>/details")
class Details(MethodView):
    @blp.login_required
    @blp.arguments(DetailsSchema)
    @blp.response(200, FilingSchema)
    @blp.errors(403, 404, 409, 422)
    def put(self, body, filing_id):
        """备案信息: category, person type, destination, dates, address, contact."""
        return filings.set_details(current_actor(), filing_id, body)


@blp.route("/filings/<int:filing_id>/signature")
class Signature(MethodView):
    @blp.login_required
    @blp.arguments(FileSchema, location="files")
    @blp.response(200, FilingSchema)
    @blp.errors(403, 404, 409, 413, 415, 422)
    def post(self, files, filing_id):
        """个人承诺书 signature: a PNG drawn by hand; blank or a mere dot is refused."""
        return filings.sign(current_actor(), filing_id, files["file"].read())

    @blp.login_required
    @blp.doc(responses=PNG_RESPONSE)
    @blp.errors(404)
    def get(self, filing_id):
        """The stored signature, to the agent and the insured person only."""
        return image_response(filings.signature_png(current_actor(), filing_id), "image/png",
                              f"signature-{filing_id}.png")


@blp.route("/filings/<int:filing_id>/submit")
class Submit(MethodView):
    @blp.login_required
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.response(200, FilingSchema)
    @blp.errors(403, 404, 409, 422)
    def post(self, filing_id):
        """Submit a filing whose steps are all done → `effective`, with a filing number."""
        return filings.submit(current_actor(), filing_id, idempotency_key())


@blp.route("/filings/<int:filing_id>/events")
class Events(MethodView):
    @blp.login_required
    @blp.response(200, EventSchema(many=True))
    @blp.errors(404)
    def get(self, filing_id):
        """The filing's history: step, time, who acted for whom."""
        return filings.events(current_actor(), filing_id)


@blp.route("/filings/<int:filing_id>/cancel")
class Cancel(MethodView):
    @blp.login_required
    @blp.arguments(CancelSchema)
    @blp.response(200, FilingSchema)
    @blp.errors(404, 409, 422)
    def post(self, body, filing_id):
        """Cancel online; refused (409) once a settlement happened at the filing place."""
        return filings.cancel(current_actor(), filing_id, body["reason"])


@blp.route("/filings/<int:filing_id>/certificate.png")
class Certificate(MethodView):
    @blp.login_required
    @blp.doc(responses=PNG_RESPONSE)
    @blp.errors(404, 409)
    def get(self, filing_id):
        """A QR code holding the public verification URL of an effective filing."""
        return image_response(filings.certificate_png(current_actor(), filing_id), "image/png",
                              f"filing-certificate-{filing_id}.png")


@blp.route("/filing-verifications/<string:token>")
class Verification(MethodView):
    @blp.response(200, VerificationSchema)
    @blp.errors(404)
    def get(self, token):
        """Public: is this filing real and in force? A masked name only."""
        return filings.verify(token)

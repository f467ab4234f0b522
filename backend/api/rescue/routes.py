from flask.views import MethodView

from backend.api.base import IDEMPOTENCY_KEY, Blueprint, EventSchema, current_actor, current_partner, idempotency_key
from backend.api.binary import JPEG_RESPONSE, image_response
from backend.api.filings.schemas import FileSchema
from backend.api.rescue import schemas as s
from backend.services import rescue, rescue_partner

blp = Blueprint("rescue", __name__, url_prefix="/api/v1/rescue",
                description="道交救助基金: road-accident rescue fund advance applications (seed 000)",
                field_words="rescue")
partner_blp = Blueprint("rescue_partner", __name__, url_prefix="/api/v1/partner/rescue",
                        description="Rescue fund, partner side: police notices, the fund manager's review, "
                                    "hospitals' materials (X-Partner-Key)",
                        field_words="rescue")
APP = "/applications/<int:app_id>"


@blp.route("/hospitals")
class Hospitals(MethodView):
    @blp.arguments(s.RescueHospitalQuerySchema, location="query")
    @blp.response(200, s.RescueHospitalSchema(many=True))
    def get(self, query):
        """Green-channel hospitals (绿色通道医院), of one city with `region`."""
        return rescue.hospitals(query.get("region"))


@blp.route("/applications")
class Applications(MethodView):
    @blp.login_required
    @blp.arguments(s.RescueCreateSchema)
    @blp.response(201, s.RescueApplicationSchema)
    @blp.errors(403, 409, 422)
    def post(self, body):
        """A new draft: `rescue` (抢救费垫付) or `funeral` (丧葬费垫付), for oneself or another."""
        return rescue.create(current_actor(), body["kind"], body["for_whom"])

    @blp.login_required
    @blp.arguments(s.RescueQuerySchema, location="query")
    @blp.response(200, s.ApplicationPageSchema)
    @blp.errors(403)
    def get(self, query):
        """My applications (申请记录), newest first."""
        return rescue.records(current_actor(), query.get("status"), query["page"], query["per_page"])


@blp.route(APP)
class Application(MethodView):
    @blp.login_required
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404)
    def get(self, app_id):
        """One application: steps, status, what to fix when returned, amounts and due dates."""
        return rescue.get(current_actor(), app_id)

    @blp.login_required
    @blp.response(204)
    @blp.errors(404, 409)
    def delete(self, app_id):
        """Discard a draft."""
        rescue.discard(current_actor(), app_id)


@blp.route(APP + "/notice")
class Notice(MethodView):
    @blp.login_required
    @blp.arguments(s.RescueNoticeSchema)
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 422)
    def put(self, body, app_id):
        """告知: accept the current `rescue-notice`."""
        return rescue.accept_notice(current_actor(), app_id, body["accepted"], body["version"])


@blp.route(APP + "/accident")
class Accident(MethodView):
    @blp.login_required
    @blp.arguments(s.RescueAccidentSchema)
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 422)
    def put(self, body, app_id):
        """事故信息: in Shanxi, not in the future, within 60 days (`rescue.deadline_passed`);
        the notice's photo first."""
        return rescue.set_accident(current_actor(), app_id, body)


@blp.route(APP + "/victim")
class Victim(MethodView):
    @blp.login_required
    @blp.arguments(s.RescueVictimSchema)
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 422)
    def put(self, body, app_id):
        """受害人信息: identified (name, ID number, ID photo; no registry match) or not
        (the police certificate); the relation and, for relatives, the 户口本 pages."""
        return rescue.set_victim(current_actor(), app_id, body)


@blp.route(APP + "/hospital")
class Hospital(MethodView):
    @blp.login_required
    @blp.arguments(s.RescueHospitalStepSchema)
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 422)
    def put(self, body, app_id):
        """救治医院: a green-channel hospital, rescue not before the accident; beyond 7
        days needs the hospital's written explanation."""
        return rescue.set_hospital(current_actor(), app_id, body)


@blp.route(APP + "/contact")
class Contact(MethodView):
    @blp.login_required
    @blp.arguments(s.RescueContactSchema)
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 422)
    def put(self, body, app_id):
        """联系人."""
        return rescue.set_contact(current_actor(), app_id, body)


@blp.route(APP + "/materials/<string:material>")
class Materials(MethodView):
    @blp.login_required
    @blp.arguments(FileSchema, location="files")
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 413, 415, 422)
    def post(self, files, app_id, material):
        """One page (photo) of a material, through the photo pipeline; each material
        has its page limit (409 `rescue.too_many_pages`)."""
        return rescue.upload_page(current_actor(), app_id, material, files["file"].stream)


@blp.route(APP + "/materials/<string:material>/<int:page_id>")
class MaterialPage(MethodView):
    @blp.login_required
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 422)
    def delete(self, app_id, material, page_id):
        """Remove a page while the step is editable."""
        return rescue.delete_page(current_actor(), app_id, material, page_id)

    @blp.login_required
    @blp.doc(responses=JPEG_RESPONSE)
    @blp.errors(404)
    def get(self, app_id, material, page_id):
        """The stored (cleaned) page, to the applicant."""
        return image_response(*_jpeg(rescue.page_image(current_actor(), app_id, page_id)))


def _jpeg(found):
    content, name = found
    return content, "image/jpeg", name


@blp.route(APP + "/signature")
class Signature(MethodView):
    @blp.login_required
    @blp.arguments(FileSchema, location="files")
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 413, 415, 422)
    def post(self, files, app_id):
        """垫付申请书 + 承诺 (`rescue-application`), signed by hand (PNG)."""
        return rescue.sign(current_actor(), app_id, files["file"].read())


@blp.route(APP + "/submit")
class Submit(MethodView):
    @blp.login_required
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409, 422)
    def post(self, app_id):
        """→ `submitted`, with an application number; `review_due` 3 working days on.
        409 `rescue.duplicate` for a second open application (same notice, victim, kind)."""
        return rescue.submit(current_actor(), app_id, idempotency_key())


@blp.route(APP + "/resubmit")
class Resubmit(MethodView):
    @blp.login_required
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409)
    def post(self, app_id):
        """After a return: → `submitted` again; the review clock restarts."""
        return rescue.resubmit(current_actor(), app_id)


@blp.route(APP + "/withdraw")
class Withdraw(MethodView):
    @blp.login_required
    @blp.response(200, s.RescueApplicationSchema)
    @blp.errors(404, 409)
    def post(self, app_id):
        """Withdraw a submitted or returned application."""
        return rescue.withdraw(current_actor(), app_id)


@blp.route(APP + "/events")
class Events(MethodView):
    @blp.login_required
    @blp.response(200, EventSchema(many=True))
    @blp.errors(404)
    def get(self, app_id):
        """The application's history."""
        return rescue.events(current_actor(), app_id)


# --- partner side ---------------------------------------------------------------------------

@partner_blp.route("/notices")
class Notices(MethodView):
    @partner_blp.partner_required("police")
    @partner_blp.arguments(s.RescueNoticeRegistrationSchema)
    @partner_blp.response(201, s.RescueNoticeSchemaOut)
    @partner_blp.errors(409, 422)
    def post(self, body):
        """Police: register a 抢救费用垫付通知书 for an accident in the unit's region."""
        return rescue_partner.register_notice(current_partner(), body)


@partner_blp.route("/applications")
class Queue(MethodView):
    @partner_blp.partner_required("fund_manager")
    @partner_blp.arguments(s.RescueManagerQuerySchema, location="query")
    @partner_blp.response(200, s.ManagerPageSchema)
    def get(self, query):
        """Fund manager: the province's applications in a status (default `submitted`),
        oldest first, names masked, `notice_verified` shown."""
        return rescue_partner.queue(current_partner(), query["status"], query["page"], query["per_page"])


@partner_blp.route(APP + "/return")
class Return(MethodView):
    @partner_blp.partner_required("fund_manager")
    @partner_blp.arguments(s.RescueReturnSchema)
    @partner_blp.response(200, s.RescueManagerApplicationSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, app_id):
        """Return for correction, naming each item (material, field or step) and why."""
        return rescue_partner.return_for_correction(current_partner(), app_id, body["items"])


@partner_blp.route(APP + "/approve")
class Approve(MethodView):
    @partner_blp.partner_required("fund_manager")
    @partner_blp.arguments(s.RescueApproveSchema)
    @partner_blp.response(200, s.RescueManagerApplicationSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, app_id):
        """Approve: within 7 days (no cap) and beyond 7 days (capped); `payment_due` 2 working days on."""
        return rescue_partner.approve(current_partner(), app_id, body["amount_within_7_days"],
                                      body.get("amount_beyond_7_days"))


@partner_blp.route(APP + "/reject")
class Reject(MethodView):
    @partner_blp.partner_required("fund_manager")
    @partner_blp.arguments(s.RescueRejectSchema)
    @partner_blp.response(200, s.RescueManagerApplicationSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, app_id):
        """不予垫付, with the reason the applicant will read."""
        return rescue_partner.reject(current_partner(), app_id, body["reason"])


@partner_blp.route(APP + "/payments")
class Payments(MethodView):
    @partner_blp.partner_required("fund_manager")
    @partner_blp.arguments(s.RescuePaySchema)
    @partner_blp.response(200, s.RescueManagerApplicationSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, app_id):
        """A payment (tranche) to the hospital; the total never above the approved amount."""
        return rescue_partner.pay(current_partner(), app_id, body["amount"], body["paid_at"], body["payee"])


@partner_blp.route(APP + "/close")
class Close(MethodView):
    @partner_blp.partner_required("fund_manager", "hospital")
    @partner_blp.arguments(s.RescueCloseSchema)
    @partner_blp.response(200, s.RescueManagerApplicationSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, app_id):
        """结清: the unused amount returned; the final amount is what stays paid."""
        return rescue_partner.close(current_partner(), app_id, body["returned_amount"])


@partner_blp.route(APP + "/materials/<string:material>/<int:page_id>")
class PartnerMaterialPage(MethodView):
    @partner_blp.partner_required("fund_manager", "hospital")
    @partner_blp.doc(responses=JPEG_RESPONSE)
    @partner_blp.errors(404)
    def get(self, app_id, material, page_id):
        """One page's picture (cleaned), logged in the applicant's access log: the fund
        manager of the accident's province, or the application's hospital for its own
        kinds of paper (403 `rescue.page_not_for_hospital` otherwise). Our addition to api.md."""
        return image_response(*_jpeg(rescue_partner.page_image(current_partner(), app_id, material, page_id)))


@partner_blp.route(APP + "/materials/<string:material>")
class HospitalMaterials(MethodView):
    @partner_blp.partner_required("hospital")
    @partner_blp.arguments(FileSchema, location="files")
    @partner_blp.response(201, s.RescueHospitalUploadSchema)
    @partner_blp.errors(404, 409, 413, 415, 422)
    def post(self, files, app_id, material):
        """Hospital: a page of its own patient's cost list, summary, record or 7-day explanation."""
        return rescue_partner.hospital_upload(current_partner(), app_id, material, files["file"].stream)

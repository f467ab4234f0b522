from flask.views import MethodView

from backend.api.base import IDEMPOTENCY_KEY, Blueprint, EventSchema, current_actor, current_partner, idempotency_key
from backend.api.fd.schemas import (CreateSignupSchema, InstitutionDetailSchema, InstitutionQuerySchema,
                                    InstitutionSchema, PartnerSignupQuerySchema, SignatureFileSchema,
                                    SignupAcceptSchema, SignupAgreementSchema, SignupCancelSchema,
                                    SignupPageSchema, SignupQuerySchema, SignupRejectSchema, SignupRenewSchema,
                                    SignupSchema, SignupTerminateSchema, TeamDetailSchema)
from backend.services import fd_catalogue, signups

blp = Blueprint("fd", __name__, url_prefix="/api/v1/fd",
                description="家庭医生签约: family-doctor teams, packages and sign-ups")
partner_blp = Blueprint("fd_partner", __name__, url_prefix="/api/v1/partner/fd",
                        description="Partner side of the family-doctor sign-up: the team's answer (X-Partner-Key)")


# --- catalogue (public) ----------------------------------------------------------

@blp.route("/institutions")
class Institutions(MethodView):
    @blp.arguments(InstitutionQuerySchema, location="query")
    @blp.response(200, InstitutionSchema(many=True))
    def get(self, query):
        """Township health centres and community health service centres, with their
        teams; by city (or province) and by a text in the name, district or address."""
        return fd_catalogue.institutions(query.get("region"), query.get("q"))


@blp.route("/institutions/<int:institution_id>")
class Institution(MethodView):
    @blp.response(200, InstitutionDetailSchema)
    @blp.errors(404)
    def get(self, institution_id):
        """One institution: its teams and the packages they offer."""
        return fd_catalogue.institution(institution_id)


@blp.route("/teams/<int:team_id>")
class Team(MethodView):
    @blp.response(200, TeamDetailSchema)
    @blp.errors(404)
    def get(self, team_id):
        """A team: members by role, capacity, places signed, packages offered."""
        return fd_catalogue.team(team_id)


# --- sign-ups ---------------------------------------------------------------------

@blp.route("/signups")
class Signups(MethodView):
    @blp.login_required
    @blp.arguments(CreateSignupSchema)
    @blp.response(201, SignupSchema)
    @blp.errors(403, 409, 422)
    def post(self, body):
        """A draft sign-up for oneself (`self`) or a family member (`member`). The
        basic package is always included; the value-added package is open to every
        resident (`value_added_parts` says which of its parts apply). 409 when the
        resident already has an open contract or three drafts are open."""
        return signups.create(current_actor(), body)

    @blp.login_required
    @blp.arguments(SignupQuerySchema, location="query")
    @blp.response(200, SignupPageSchema)
    def get(self, query):
        """Contracts where I am the resident and those I made for family members, newest first."""
        return signups.records(current_actor(), query.get("status"), query["page"], query["per_page"])


@blp.route("/signups/<int:signup_id>")
class Signup(MethodView):
    @blp.login_required
    @blp.response(200, SignupSchema)
    @blp.errors(404)
    def get(self, signup_id):
        """One sign-up, with its steps and what to do next."""
        return signups.get(current_actor(), signup_id)


@blp.route("/signups/<int:signup_id>/agreement")
class Agreement(MethodView):
    @blp.login_required
    @blp.arguments(SignupAgreementSchema)
    @blp.response(200, SignupSchema)
    @blp.errors(404, 409, 422)
    def put(self, body, signup_id):
        """已阅读并同意《签约服务协议》: accept the current version of `signup-agreement`."""
        return signups.accept_agreement(current_actor(), signup_id, body["accepted"], body["version"])


@blp.route("/signups/<int:signup_id>/signature")
class Signature(MethodView):
    @blp.login_required
    @blp.arguments(SignatureFileSchema, location="files")
    @blp.response(200, SignupSchema)
    @blp.errors(404, 409, 413, 415, 422)
    def post(self, files, signup_id):
        """The hand signature as a PNG (multipart `file`); a blank box or a dot is refused."""
        return signups.sign(current_actor(), signup_id, files["file"].read())


@blp.route("/signups/<int:signup_id>/submit")
class Submit(MethodView):
    @blp.login_required
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.response(200, SignupSchema)
    @blp.errors(404, 409, 422)
    def post(self, signup_id):
        """Submit → `pending`: a place in the team is held until the team answers.
        409 when the team is full or the resident already has an open contract."""
        return signups.submit(current_actor(), signup_id, idempotency_key())


@blp.route("/signups/<int:signup_id>/cancel")
class Cancel(MethodView):
    @blp.login_required
    @blp.arguments(SignupCancelSchema)
    @blp.response(200, SignupSchema)
    @blp.errors(404, 409, 422)
    def post(self, body, signup_id):
        """解约, or withdraw a draft or an application, with a reason from the
        termination list; a held place goes back to the team."""
        return signups.cancel(current_actor(), signup_id, body["reason"], body.get("note"))


@blp.route("/signups/<int:signup_id>/renew")
class Renew(MethodView):
    @blp.login_required
    @blp.arguments(SignupRenewSchema)
    @blp.response(200, SignupSchema)
    @blp.errors(404, 409, 422)
    def post(self, body, signup_id):
        """续约 in the last 30 days before expiry: the same contract, one more year."""
        return signups.renew(current_actor(), signup_id, body)


@blp.route("/signups/<int:signup_id>/health-consent")
class HealthConsent(MethodView):
    @blp.login_required
    @blp.response(200, SignupSchema)
    @blp.errors(404, 409)
    def delete(self, signup_id):
        """Withdraw the consent to use declared health data: the health tags are removed,
        with the key groups that came only from them (age groups stay). 409
        `signup.no_health_consent` when nothing was declared."""
        return signups.withdraw_health_consent(current_actor(), signup_id)


@blp.route("/signups/<int:signup_id>/events")
class Events(MethodView):
    @blp.login_required
    @blp.response(200, EventSchema(many=True))
    @blp.errors(404)
    def get(self, signup_id):
        """The sign-up's history: step, time, who acted for whom."""
        return signups.events(current_actor(), signup_id)


# --- partner: the team's answer ---------------------------------------------------------

@partner_blp.route("/signups")
class PartnerSignups(MethodView):
    @partner_blp.partner_required("fd_team")
    @partner_blp.arguments(PartnerSignupQuerySchema, location="query")
    @partner_blp.response(200, SignupPageSchema)
    def get(self, query):
        """The team's submitted sign-ups, oldest first (`status=pending`: those waiting for an answer); names masked."""
        return signups.partner_list(current_partner(), query.get("team_id"), query.get("status"), query["page"],
                                    query["per_page"])


@partner_blp.route("/signups/<int:signup_id>/accept")
class PartnerAccept(MethodView):
    @partner_blp.partner_required("fd_team")
    @partner_blp.arguments(SignupAcceptSchema, required=False)
    @partner_blp.response(200, SignupSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, signup_id):
        """The team accepts → `active` for one year from `start_date` (within the coming month; default today)."""
        return signups.accept(current_partner(), signup_id, body.get("start_date"))


@partner_blp.route("/signups/<int:signup_id>/reject")
class PartnerReject(MethodView):
    @partner_blp.partner_required("fd_team")
    @partner_blp.arguments(SignupRejectSchema)
    @partner_blp.response(200, SignupSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, signup_id):
        """The team declines with a reason → `rejected`; the place goes back and the resident may apply again."""
        return signups.reject(current_partner(), signup_id, body["reason"])


@partner_blp.route("/signups/<int:signup_id>/terminate")
class PartnerTerminate(MethodView):
    @partner_blp.partner_required("fd_team")
    @partner_blp.arguments(SignupTerminateSchema)
    @partner_blp.response(200, SignupSchema)
    @partner_blp.errors(404, 409, 422)
    def post(self, body, signup_id):
        """The team ends a contract in force, for a reason on its side → `cancelled`; the place goes back."""
        return signups.terminate(current_partner(), signup_id, body["reason"], body.get("note"))

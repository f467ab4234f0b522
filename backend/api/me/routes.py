from flask.views import MethodView

from backend.api.auth.schemas import AccountSchema
from backend.api.base import Blueprint, Page, current_actor
from backend.api.me.schemas import (AccessLogPageSchema, AddFamilyMemberSchema, AgentQuerySchema, AgentSchema,
                                    BindIdentitySchema, DataExportSchema, FamilyMemberSchema, InsuranceRecordSchema,
                                    MeSchema, MessagePageSchema, MessageSchema)
from backend.services import access, accounts, family, notifications, privacy

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The account, its identity and family")


@blp.route("")
class Me(MethodView):
    @blp.login_required
    @blp.response(200, MeSchema)
    def get(self):
        """The account, its bound identity (masked) and its family members."""
        actor = current_actor()
        return {**accounts.me(actor), "family_members": family.list_members(actor)}

    @blp.login_required
    @blp.response(204)
    def delete(self):
        """Erase my account (PIPL art. 47). The account keeps only its id; its login,
        phone, consent, bound identity, grants to act for others and drafts go. Filings
        and sign-ups stay, detached from it: they are records the insurance agency must
        keep (see the README). Logging in again with WeChat makes a new account."""
        privacy.erase(current_actor())


@blp.route("/identity")
class Identity(MethodView):
    @blp.login_required
    @blp.arguments(BindIdentitySchema)
    @blp.response(200, AccountSchema)
    @blp.errors(403, 422, 503)
    def put(self, body):
        """授权登录 (医保电子凭证): bind the account to the person its real-name provider vouches for.

        Nobody is bound by a name and number typed in: a body that repeats `name` or
        `id_number` naming anyone but the account's real-name holder is 403
        `identity.not_account_holder`; an account without a real name is 403
        `identity.no_real_name`; a real-name holder outside the insurance registry is 422.
        The consent must be given; its text version is stored."""
        return accounts.bind_identity(current_actor(), body["consent"], name=body.get("name"),
                                      id_number=body.get("id_number"), phone=body.get("phone"),
                                      auth_code=body.get("auth_code"))

    @blp.login_required
    @blp.response(200, AccountSchema)
    @blp.errors(403)
    def delete(self):
        """解除授权: unbind my identity. Grants to act for family members are withdrawn;
        filings and sign-ups stay. Binding again needs the consent again."""
        return privacy.unbind(current_actor())


@blp.route("/insurance")
class Insurance(MethodView):
    @blp.login_required
    @blp.response(200, InsuranceRecordSchema(many=True))
    @blp.errors(403)
    def get(self):
        """The bound person's insurance records: scheme, insured region, status."""
        return accounts.insurance(current_actor())


@blp.route("/family-members")
class FamilyMembers(MethodView):
    @blp.login_required
    @blp.response(200, FamilyMemberSchema(many=True))
    def get(self):
        """亲情账户: the people this account may act for."""
        return family.list_members(current_actor())

    @blp.login_required
    @blp.arguments(AddFamilyMemberSchema)
    @blp.response(201, FamilyMemberSchema)
    @blp.errors(403, 409, 422)
    def post(self, body):
        """Add a family member; name and number must match the insurance registry."""
        return family.add_member(current_actor(), body["name"], body["id_number"], body["relation"])


@blp.route("/family-members/<int:member_id>")
class FamilyMember(MethodView):
    @blp.login_required
    @blp.response(204)
    @blp.errors(404)
    def delete(self, member_id):
        """Remove a family member."""
        family.remove_member(current_actor(), member_id)


@blp.route("/agents")
class Agents(MethodView):
    @blp.login_required
    @blp.arguments(AgentQuerySchema, location="query")
    @blp.response(200, AgentSchema(many=True))
    @blp.errors(403)
    def get(self, query):
        """Who may act for me (agents who added me as a family member); `withdrawn=true`
        lists those whose right I withdrew."""
        return family.agents(current_actor(), query["withdrawn"])


@blp.route("/agents/<int:agent_id>")
class Agent(MethodView):
    @blp.login_required
    @blp.response(204)
    @blp.errors(403, 404)
    def delete(self, agent_id):
        """Withdraw an agent's right to act for me."""
        family.withdraw_agent(current_actor(), agent_id)


@blp.route("/agents/<int:agent_id>/restore")
class AgentRestore(MethodView):
    @blp.login_required
    @blp.response(200, AgentSchema)
    @blp.errors(403, 404)
    def post(self, agent_id):
        """Give a withdrawn agent the right to act for me back."""
        return family.restore_agent(current_actor(), agent_id)


@blp.route("/access-log")
class AccessLog(MethodView):
    @blp.login_required
    @blp.arguments(Page, location="query")
    @blp.response(200, AccessLogPageSchema)
    @blp.errors(403)
    def get(self, query):
        """Who acted on or looked at my data (PIPL art. 45), newest first: each time
        someone else saw my ID photo, signature or record, verified my certificate,
        or acted for me (my agent by masked name, a partner by its organisation)."""
        return access.entries(current_actor(), query["page"], query["per_page"])


@blp.route("/data-export")
class DataExport(MethodView):
    @blp.login_required
    @blp.response(200, DataExportSchema)
    def get(self):
        """Everything the service holds about me and everything I did, as JSON (PIPL
        art. 45): account, identity (masked), insurance, family members and agents,
        filings and sign-ups with their histories, and my access log."""
        return privacy.export(current_actor())


@blp.route("/messages")
class Messages(MethodView):
    @blp.login_required
    @blp.arguments(Page, location="query")
    @blp.response(200, MessagePageSchema)
    def get(self, query):
        """消息: notifications sent to me (filing in force, filed for me by my agent,
        cancelled, expiring; sign-up accepted, declined, expiring), newest first, with
        how many are unread. An account not yet bound to a person has none."""
        return notifications.mine(current_actor(), query["page"], query["per_page"])


@blp.route("/messages/<int:message_id>/read")
class MessageRead(MethodView):
    @blp.login_required
    @blp.response(200, MessageSchema)
    @blp.errors(404)
    def post(self, message_id):
        """Mark one of my messages read (again is harmless); anyone else's is 404."""
        return notifications.mark_read(current_actor(), message_id)

from flask.views import MethodView

from backend.api.auth.schemas import LoginSchema, LogoutSchema, RefreshSchema, TokensSchema
from backend.api.base import Blueprint, current_actor
from backend.services import accounts

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="WeChat login and tokens")


@blp.route("/wx-login")
class WxLogin(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokensSchema)
    @blp.errors(422)
    def post(self, body):
        """Exchange a `wx.login` code for an access and a refresh token: a new login session.

        The access token lasts 15 minutes and names its session (`sid`); the refresh
        token rotates on every use. The real-name provider's stand-in real-names the
        account by the code (`demo-<ID number>`) for 授权登录."""
        return accounts.login(body["code"])


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokensSchema)
    @blp.alt_response(401, description="expired, revoked, or reused: a reused token revokes its chain")
    def post(self, body):
        """Rotate the token pair. A refresh token used twice revokes its whole chain and
        ends its login session: the access tokens issued under it are refused at once."""
        return accounts.refresh(body["refresh_token"])


@blp.route("/logout")
class Logout(MethodView):
    @blp.login_required
    @blp.arguments(LogoutSchema)
    @blp.response(204)
    def post(self, body):
        """Log out: end this access token's login session and the chain of the given
        refresh token (without one, every login of the account). The access tokens of
        an ended session get 401 from their next request on."""
        accounts.logout(current_actor(), body.get("refresh_token"))

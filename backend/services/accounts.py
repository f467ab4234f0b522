"""Accounts: WeChat login, login sessions and token rotation, 授权登录 (binding to
the registry through the real-name provider)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from backend.adapters.models import Account, InsuredPerson, LoginSession, RealNameRecord, RefreshToken
from backend.adapters.realname import ProviderUnavailable, RealName
from backend.adapters.tokens import TokenInvalid, hash_token, issue_access_token, new_refresh_token, read_access
from backend.adapters.wechat import LoginRefused
from backend.domain.errors import DomainError, Forbidden, Invalid, Unauthorized
from backend.domain.identity import normalise_id_number
from backend.services import documents, views
from backend.services.runtime import Actor, as_utc, now, session, setting


def _issue_pair(account: Account, family: str) -> dict:
    """A refresh token of the chain `family` and an access token of the login session
    of the same id (its `sid` claim)."""
    refresh = new_refresh_token()
    session().add(RefreshToken(
        account_id=account.id, token_hash=hash_token(refresh), family=family,
        expires_at=now() + timedelta(days=setting("REFRESH_TOKEN_DAYS")),
    ))
    access = issue_access_token(
        account.id, key=setting("SECRET_KEY"), issuer=setting("TOKEN_ISSUER"),
        audience=setting("TOKEN_AUDIENCE"), seconds=setting("ACCESS_TOKEN_SECONDS"), now=now(),
        session_id=family,
    )
    return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
            "expires_in": setting("ACCESS_TOKEN_SECONDS"), "account": views.account(account)}


def login(code: str) -> dict:
    """Exchange a `wx.login` code; the first login makes the account."""
    try:
        openid = current_app.extensions["code2session"].openid_for(code)
    except LoginRefused:
        raise Unauthorized("微信登录失败，请重新进入小程序后再试。", code="auth.wx_login_failed") from None
    s = session()
    account = s.scalar(select(Account).where(Account.openid == openid))
    if account is None:
        account = Account(openid=openid)
        s.add(account)
        s.flush()
    _vouched(account, current_app.extensions["realname"].at_login(code, openid))
    sid = secrets.token_hex(16)
    s.add(LoginSession(id=sid, account_id=account.id))
    result = _issue_pair(account, family=sid)
    s.commit()
    return result


def refresh(token: str) -> dict:
    """Rotate: the old refresh token is spent. Presenting a spent one means it was
    copied, so every token of its chain is revoked (OAuth 2.0 BCP, refresh rotation)."""
    s = session()
    row = s.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_token(token)))
    expired = Unauthorized("登录已过期，请重新登录。", code="auth.refresh_invalid")
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= now():
        raise expired
    login_session = s.get(LoginSession, row.family)
    if login_session is None or login_session.revoked_at is not None:
        raise expired
    if row.used_at is not None:
        _revoke_family(row.family, because="reuse")
        s.commit()
        raise Unauthorized("检测到登录凭证被重复使用，为保护您的账户，已退出所有登录，请重新登录。",
                           code="auth.refresh_reused")
    # Spend it with a conditional update, so two concurrent refreshes cannot both win.
    spent = s.execute(update(RefreshToken).where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
                      .values(used_at=now()))
    if spent.rowcount != 1:
        _revoke_family(row.family, because="reuse")
        s.commit()
        raise Unauthorized("检测到登录凭证被重复使用，请重新登录。", code="auth.refresh_reused")
    account = s.get(Account, row.account_id)
    result = _issue_pair(account, family=row.family)
    s.commit()
    return result


def _revoke_family(family: str, because: str) -> None:
    """End a login: its refresh chain and, through its session, every access token
    issued under it (they are refused from their next request on)."""
    s = session()
    s.execute(update(RefreshToken).where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
              .values(revoked_at=now()))
    s.execute(update(LoginSession).where(LoginSession.id == family, LoginSession.revoked_at.is_(None))
              .values(revoked_at=now(), revoked_because=because))


def logout(actor: Actor, token: str | None) -> None:
    """End the login the access token belongs to and the chain of the given refresh
    token; without a refresh token, every login of the account."""
    s = session()
    families = {actor.session_id} if actor.session_id else set()
    if token:
        row = s.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_token(token),
                                                  RefreshToken.account_id == actor.account_id))
        if row:
            families.add(row.family)
    else:
        families.update(s.scalars(select(LoginSession.id).where(LoginSession.account_id == actor.account_id,
                                                                LoginSession.revoked_at.is_(None))))
        s.execute(update(RefreshToken).where(RefreshToken.account_id == actor.account_id,
                                             RefreshToken.revoked_at.is_(None)).values(revoked_at=now()))
    for family in sorted(families):
        _revoke_family(family, because="logout")
    s.commit()


# Three columns, not the account with its person and their records: that is all an
# Actor is, and the one statement every authenticated request runs. Built once, so
# a request neither builds it again nor computes its cache key.
_ACTOR = (select(Account.person_id, Account.erased_at, LoginSession.revoked_at)
          .join(LoginSession, LoginSession.account_id == Account.id)
          .where(Account.id == bindparam("account_id"), LoginSession.id == bindparam("session_id")))


def authenticate(bearer: str | None) -> Actor:
    """The account behind an access token whose login session still stands. The
    session is read in the same query as the account, which every request needs
    anyway: a logout is seen by every process at once, with no cache to go stale."""
    if not bearer:
        raise Unauthorized("请先登录。", code="auth.required")
    try:
        claims = read_access(bearer, key=setting("SECRET_KEY"), issuer=setting("TOKEN_ISSUER"),
                             audience=setting("TOKEN_AUDIENCE"), now=now())
    except TokenInvalid:
        raise Unauthorized("登录已失效，请重新登录。", code="auth.token_invalid") from None
    if claims.session_id is None:
        raise Unauthorized("登录已失效，请重新登录。", code="auth.token_invalid")
    # On the session's connection, not through the ORM: three columns need no ORM
    # machinery, and skipping it is a fifth of what this check costs.
    row = session().connection().execute(
        _ACTOR, {"account_id": claims.account_id, "session_id": claims.session_id}).first()
    if row is None or row.revoked_at is not None or row.erased_at is not None:
        # A logged-out session, or an erased account: neither acts again.
        raise Unauthorized("登录已失效，请重新登录。", code="auth.token_invalid")
    return Actor(account_id=claims.account_id, person_id=row.person_id, session_id=claims.session_id)


def me(actor: Actor) -> dict:
    """The account and its bound identity (masked); the route adds the family members,
    so that this module and `family` (which needs the registry look-ups here) do not
    import each other."""
    return views.account(session().get(Account, actor.account_id))


def check_id_number(raw: str, field: str = "id_number") -> str:
    number = normalise_id_number(raw)
    try:
        return ric.validate(number)
    except ValidationError:
        raise Invalid("身份证号码有误，请核对后重新输入（18位，最后一位可能是X）。",
                      code="identity.invalid_id_number",
                      errors={field: ["身份证号码校验未通过。"]}) from None


def find_in_registry(name: str, raw_number: str, field: str = "id_number") -> InsuredPerson:
    """Name and number must both match a person of the insurance registry. One
    answer for "no such number" and "wrong name", so the registry cannot be probed."""
    number = check_id_number(raw_number, field)
    person = session().scalar(select(InsuredPerson).where(InsuredPerson.id_number_is(number)))
    if person is None or person.name != name.strip() or not person.records:
        raise Invalid("未查询到参保信息：请核对姓名和身份证号码；如确已参保，请联系参保地医保经办机构。",
                      code="identity.not_in_registry",
                      errors={"name": ["姓名与身份证号码未能匹配参保信息。"]})
    return person


def _digest(id_number: str) -> str:
    """The vouched number is kept only as an HMAC under the app's key: enough to tell
    whether a number someone repeats is the account holder's, and nothing more."""
    return hmac.new(setting("SECRET_KEY").encode(), b"real-name:" + id_number.encode(), hashlib.sha256).hexdigest()


NOT_ACCOUNT_HOLDER = ("只能以本微信账户实名认证的本人身份授权登录；为家人办理，请在“家庭成员”中添加，"
                      "或使用“为他人备案”。")


def _vouched(account: Account, real: RealName | None) -> None:
    """Record what the real-name provider vouched for this account. The registry
    person is looked up now (name and number must both match an insured person); a
    real name, once recorded, is never replaced by another person's."""
    if real is None:
        return
    s = session()
    digest = _digest(real.id_number)
    record = s.get(RealNameRecord, account.id)
    if record is not None and not hmac.compare_digest(record.id_digest, digest):
        raise Forbidden("该授权不属于本微信账户实名认证的本人，不能用于本账户。",
                        code="identity.not_account_holder")
    person = s.scalar(select(InsuredPerson).where(InsuredPerson.id_number_is(real.id_number)))
    if person is not None and (person.name != real.name or not person.records):
        person = None
    kind = current_app.extensions["realname"].kind
    if record is None:
        record = RealNameRecord(account_id=account.id, id_digest=digest, provider=kind)
        s.add(record)
    record.person_id, record.person, record.provider, record.verified_at = (
        person.id if person else None, person, kind, now())
    s.flush()


NO_REAL_NAME = ("您的微信账户尚未完成实名认证，不能授权登录。请在微信“我 → 服务 → 钱包 → 身份信息”中完成实名认证，"
                "或在微信中搜索“医保电子凭证”并激活，然后重新进入小程序。")


def bind_identity(actor: Actor, consent: bool, name: str | None = None, id_number: str | None = None,
                  phone: str | None = None, auth_code: str | None = None) -> dict:
    """授权登录: bind the account to the person its real-name provider vouches for.

    A name or number in the body is only compared with that person: naming anyone
    else is refused (403), never a way to become them. An account real-named to one
    person binds to that person only, so it never moves to someone else; several
    accounts (phones) of the same person may each bind to them."""
    if consent is not True:
        raise Invalid("请先勾选“你同意医保电子凭证使用并传达相关数据用于医保服务查询”。",
                      code="identity.consent_required", errors={"consent": ["须同意后才能授权查询。"]})
    s = session()
    account = s.get(Account, actor.account_id)
    if auth_code:
        try:
            _vouched(account, current_app.extensions["realname"].at_binding(account.openid, auth_code))
        except ProviderUnavailable:
            raise ProviderDown() from None
    record = s.get(RealNameRecord, account.id)
    if record is None:
        raise Forbidden(NO_REAL_NAME, code="identity.no_real_name")
    not_holder = Forbidden(NOT_ACCOUNT_HOLDER, code="identity.not_account_holder",
                           errors={"id_number" if id_number is not None else "name": ["不是本账户实名认证的本人。"]})
    if id_number is not None and not hmac.compare_digest(_digest(check_id_number(id_number)), record.id_digest):
        raise not_holder
    person = record.person
    if person is None or not person.records:
        raise Invalid("未查询到您本人的参保信息（按微信实名认证的姓名和身份证号码查询）；如确已参保，"
                      "请联系参保地医保经办机构。", code="identity.not_in_registry",
                      errors={"consent": ["未查询到本人参保信息。"]})
    if name is not None and name.strip() != person.name:
        raise not_holder
    if account.person_id not in (None, person.id):
        raise not_holder  # a binding never moves to another person
    consent_doc = documents.current("identity-consent")
    account.person_id = person.id
    account.person = person
    account.consent_version = consent_doc.version
    account.consent_sha256 = consent_doc.sha256
    account.consent_at = now()
    if phone:
        account.phone = phone
    s.commit()
    return views.account(account)


class ProviderDown(DomainError):
    kind = "unavailable"
    code = "identity.provider_unavailable"
    message = "暂时无法向医保电子凭证核验实名信息，请稍后再试。"


def require_person(actor: Actor) -> int:
    if actor.person_id is None:
        raise Forbidden("请先完成“授权登录”，核验本人参保身份后再办理。", code="identity.required")
    return actor.person_id


def insurance(actor: Actor) -> list[dict]:
    person = session().get(InsuredPerson, require_person(actor))
    return [views.insurance_record(r) for r in person.records]

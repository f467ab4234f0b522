"""Accounts: WeChat login, token rotation, 授权登录 (binding to the registry)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from backend.adapters.models import Account, InsuredPerson, RefreshToken
from backend.adapters.tokens import (TokenInvalid, hash_token, issue_access_token,
                                     new_refresh_token, read_access_token)
from backend.adapters.wechat import LoginRefused
from backend.domain.errors import Forbidden, Invalid, Unauthorized
from backend.domain.identity import normalise_id_number
from backend.services import documents, views
from backend.services.runtime import Actor, as_utc, now, session, setting


def _issue_pair(account: Account, family: str) -> dict:
    refresh = new_refresh_token()
    session().add(RefreshToken(
        account_id=account.id, token_hash=hash_token(refresh), family=family,
        expires_at=now() + timedelta(days=setting("REFRESH_TOKEN_DAYS")),
    ))
    access = issue_access_token(
        account.id, key=setting("SECRET_KEY"), issuer=setting("TOKEN_ISSUER"),
        audience=setting("TOKEN_AUDIENCE"), seconds=setting("ACCESS_TOKEN_SECONDS"), now=now(),
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
    result = _issue_pair(account, family=secrets.token_hex(16))
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
    if row.used_at is not None:
        _revoke_family(row.family)
        s.commit()
        raise Unauthorized("检测到登录凭证被重复使用，为保护您的账户，已退出所有登录，请重新登录。",
                           code="auth.refresh_reused")
    # Spend it with a conditional update, so two concurrent refreshes cannot both win.
    spent = s.execute(update(RefreshToken).where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
                      .values(used_at=now()))
    if spent.rowcount != 1:
        _revoke_family(row.family)
        s.commit()
        raise Unauthorized("检测到登录凭证被重复使用，请重新登录。", code="auth.refresh_reused")
    account = s.get(Account, row.account_id)
    result = _issue_pair(account, family=row.family)
    s.commit()
    return result


def _revoke_family(family: str) -> None:
    session().execute(update(RefreshToken).where(RefreshToken.family == family,
                                                 RefreshToken.revoked_at.is_(None))
                      .values(revoked_at=now()))


def logout(actor: Actor, token: str | None) -> None:
    """Revoke the chain of the given refresh token (or every chain of the account)."""
    s = session()
    if token:
        row = s.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_token(token),
                                                  RefreshToken.account_id == actor.account_id))
        if row:
            _revoke_family(row.family)
    else:
        s.execute(update(RefreshToken).where(RefreshToken.account_id == actor.account_id,
                                             RefreshToken.revoked_at.is_(None)).values(revoked_at=now()))
    s.commit()


def authenticate(bearer: str | None) -> Actor:
    if not bearer:
        raise Unauthorized("请先登录。", code="auth.required")
    try:
        account_id = read_access_token(bearer, key=setting("SECRET_KEY"), issuer=setting("TOKEN_ISSUER"),
                                       audience=setting("TOKEN_AUDIENCE"), now=now())
    except TokenInvalid:
        raise Unauthorized("登录已失效，请重新登录。", code="auth.token_invalid") from None
    account = session().get(Account, account_id)
    if account is None:
        raise Unauthorized("登录已失效，请重新登录。", code="auth.token_invalid")
    return Actor(account_id=account.id, person_id=account.person_id)


def me(actor: Actor) -> dict:
    from backend.services import family  # family members are shown with the account

    account = session().get(Account, actor.account_id)
    view = views.account(account)
    view["family_members"] = family.list_members(actor)
    return view


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


def bind_identity(actor: Actor, name: str, id_number: str, consent: bool, phone: str | None) -> dict:
    if consent is not True:
        raise Invalid("请先勾选“你同意医保电子凭证使用并传达相关数据用于医保服务查询”。",
                      code="identity.consent_required", errors={"consent": ["须同意后才能授权查询。"]})
    person = find_in_registry(name, id_number)
    s = session()
    account = s.get(Account, actor.account_id)
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


def require_person(actor: Actor) -> int:
    if actor.person_id is None:
        raise Forbidden("请先完成“授权登录”，核验本人参保身份后再办理。", code="identity.required")
    return actor.person_id


def insurance(actor: Actor) -> list[dict]:
    person = session().get(InsuredPerson, require_person(actor))
    return [views.insurance_record(r) for r in person.records]

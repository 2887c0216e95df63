"""Creators connect their own Instagram account (Instagram Login), and tokens are kept fresh.

1. A manager creates a signed **connect link** for one Instagram account of a creator
   (``connect_link_create``; valid ``CONNECT_LINK_DAYS``, audited) and sends it to the creator.
2. The creator opens it and continues to Instagram (``oauth_start``): a random nonce goes into
   their browser session and a signed **state** (workspace, account, nonce; valid
   ``STATE_MAX_AGE``) into the authorize URL.
3. Instagram sends them back to the callback (``oauth_finish``): the nonce is taken out of the
   session first (so a state works once, and only in the browser that started it), the state is
   checked, the code is exchanged for a short-lived then a long-lived token, the token's owner
   must be the account's handle, and only then is the ``SocialCredential`` stored (replacing the
   account's older one) with its ``expires_at`` and the Instagram Login API URL. A first sync
   follows at once, so the snapshot carries the insights (reach, views, follower demographics).
   Any refusal raises ``ConnectError`` with the page's title and message and stores nothing.
4. ``credentials_refresh_due`` (run by ``sync-accounts --due`` and ``refresh-tokens``) refreshes
   Instagram Login tokens within ``REFRESH_WITHIN`` of expiry and marks tokens past their expiry
   as expired with a message the account's connection panel shows.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from infludesk.connectors.instagram_login import InstagramLoginConnector, InstagramOAuth
from infludesk.connectors.social import SocialConnectorError, TokenExpiredError
from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators.models import CredentialStatus, SocialAccount, SocialCredential
from infludesk.creators.sync import (
    SyncResult,
    account_sync,
    connector_from_credential,
    credential_expire,
    is_instagram_login,
    social_credential_create,
)

LINK_SALT = "infludesk.creators.instagram-connect-link"
STATE_SALT = "infludesk.creators.instagram-oauth-state"
SESSION_KEY = "instagram_oauth_nonce"
CONNECT_LINK_DAYS = 14
STATE_MAX_AGE = dt.timedelta(minutes=15)
REFRESH_WITHIN = dt.timedelta(days=7)


class ConnectError(Exception):
    """The connection did not happen; ``title`` and ``message`` are shown to the creator."""

    def __init__(self, title: str, message: str, status: int = 400) -> None:
        super().__init__(f"{title}: {message}")
        self.title = title
        self.message = message
        self.status = status


def oauth_client(client: Any = None) -> InstagramOAuth:
    return InstagramOAuth(
        app_id=settings.INSTAGRAM_APP_ID,
        app_secret=settings.INSTAGRAM_APP_SECRET,
        authorize_url=settings.INSTAGRAM_AUTHORIZE_URL,
        oauth_url=settings.INSTAGRAM_OAUTH_URL,
        graph_url=settings.INSTAGRAM_GRAPH_URL,
        client=client,
    )


def callback_url() -> str:
    """The redirect URI to register in the Meta App Dashboard (Business login settings)."""
    return settings.SITE_URL + reverse("connect:instagram_callback")


@transaction.atomic
def connect_link_create(*, account: SocialAccount, by: Member | None) -> str:
    """A signed link the creator opens to connect this Instagram account (audited)."""
    if account.platform != "instagram":
        raise ValidationError(
            {"account": "Only Instagram accounts can be connected by the creator's sign-in."}
        )
    if not (settings.INSTAGRAM_APP_ID and settings.INSTAGRAM_APP_SECRET):
        raise ValidationError(
            {
                "account": "Instagram Login is not set up: set INSTAGRAM_APP_ID and "
                "INSTAGRAM_APP_SECRET (see docs/connectors.md)."
            }
        )
    token = signing.dumps({"w": account.workspace_id, "a": account.pk}, salt=LINK_SALT)
    audit_record(
        workspace=account.workspace,
        actor=by,
        action="social_account.connect_link",
        target=account,
        changes={"valid_days": [None, CONNECT_LINK_DAYS]},
    )
    return settings.SITE_URL + reverse("connect:instagram", args=[token])


def account_from_link(token: str) -> SocialAccount:
    """The account a connect link points to; ConnectError when forged or too old."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=dt.timedelta(days=CONNECT_LINK_DAYS))
        return SocialAccount.objects.select_related("workspace", "creator").get(
            pk=data["a"], workspace_id=data["w"], platform="instagram"
        )
    except signing.SignatureExpired as exc:
        raise ConnectError(
            "This link has expired",
            f"Connect links are valid for {CONNECT_LINK_DAYS} days. Ask the brand for a new one.",
            410,
        ) from exc
    except (signing.BadSignature, KeyError, TypeError, SocialAccount.DoesNotExist) as exc:
        raise ConnectError("This link is not valid", "Ask the brand for a new link.", 404) from exc


def oauth_start(*, account: SocialAccount, session: MutableMapping[str, Any]) -> str:
    """The Instagram authorize URL for this account, with a single-use signed state."""
    nonce = secrets.token_urlsafe(16)
    session[SESSION_KEY] = nonce
    state = signing.dumps({"w": account.workspace_id, "a": account.pk, "n": nonce}, salt=STATE_SALT)
    try:
        return oauth_client().authorize_url(redirect_uri=callback_url(), state=state)
    except SocialConnectorError as exc:
        raise ConnectError("Instagram Login is not set up", str(exc), 503) from exc


def _state_account(state: str, nonce: str | None) -> SocialAccount:
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConnectError(
            "This sign-in took too long",
            "Nothing was connected. Open the connect link again and continue to Instagram.",
        ) from exc
    except signing.BadSignature as exc:
        raise ConnectError(
            "This sign-in is not valid",
            "Nothing was connected. Open the connect link the brand sent you.",
        ) from exc
    if not isinstance(data, dict) or not nonce or data.get("n") != nonce:
        raise ConnectError(
            "This sign-in was already used",
            "Nothing more was connected: each sign-in works once, in the browser that started it. "
            "Open the connect link again.",
        )
    account = (
        SocialAccount.objects.select_related("workspace")
        .filter(workspace_id=data.get("w") or 0, pk=data.get("a") or 0, platform="instagram")
        .first()
    )
    if account is None:
        raise ConnectError("This account no longer exists", "Ask the brand for a new link.", 404)
    return account


@dataclass(frozen=True)
class ConnectResult:
    account: SocialAccount
    credential: SocialCredential
    sync: SyncResult | None
    sync_error: str = ""


def oauth_finish(
    *,
    params: Mapping[str, str],
    session: MutableMapping[str, Any],
    now: dt.datetime,
    client: Any = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ConnectResult:
    """Handle Instagram's redirect back: see the module docstring. Stores nothing on error."""
    nonce = session.pop(SESSION_KEY, None)
    if params.get("error"):
        reason = params.get("error_description") or params.get("error_reason") or params["error"]
        raise ConnectError(
            "Instagram was not connected",
            f"You declined the request on Instagram ({reason.replace('+', ' ')}). Nothing was "
            "stored; open the connect link again if you change your mind.",
        )
    account = _state_account(params.get("state", ""), nonce)
    code = params.get("code", "")
    if not code:
        raise ConnectError("Instagram sent no code", "Nothing was connected. Please try again.")
    try:
        oauth = oauth_client(client)
        short = oauth.exchange_code(code=code, redirect_uri=callback_url())
        long = oauth.long_lived(short_token=short.access_token)
        profile = InstagramLoginConnector(
            token=long.access_token,
            base_url=settings.INSTAGRAM_GRAPH_URL,
            client=client,
            sleep=sleep,
        ).fetch_account(account.handle)
    except SocialConnectorError as exc:
        raise ConnectError("Instagram was not connected", f"Nothing was stored. {exc}") from exc
    credential = social_credential_create(
        workspace=account.workspace,
        platform="instagram",
        token=long.access_token,
        by=None,
        external_user_id=profile.external_id or short.user_id,
        account=account,
        expires_at=long.expires_at(now),
        api_url=settings.INSTAGRAM_GRAPH_URL,
    )
    try:
        result = account_sync(
            account=account,
            now=now,
            connector_factory=lambda c: connector_from_credential(c, sleep=sleep, client=client),
        )
    except SocialConnectorError as exc:
        return ConnectResult(account, credential, None, str(exc))
    return ConnectResult(account, credential, result)


@dataclass(frozen=True)
class RefreshResult:
    credential_id: int
    label: str
    outcome: str  # "refreshed" | "expired" | "failed"
    message: str = ""


def _label(credential: SocialCredential) -> str:
    account = credential.account
    return f"{credential} (@{account.handle})" if account is not None else str(credential)


@transaction.atomic
def credential_refresh_store(
    *, credential: SocialCredential, token: str, expires_at: dt.datetime
) -> SocialCredential:
    """Swap in a refreshed token (audited; the old token is not kept)."""
    before = credential.expires_at
    credential.token = token
    credential.expires_at = expires_at
    credential.last_error = ""
    credential.save(update_fields=["token", "expires_at", "last_error", "updated_at"])
    audit_record(
        workspace=credential.workspace,
        actor=None,
        action="social_credential.refresh",
        target=credential,
        changes={"expires_at": [before.isoformat() if before else None, expires_at.isoformat()]},
    )
    return credential


def credentials_refresh_due(
    *, now: dt.datetime, workspace: Workspace | None = None, client: Any = None
) -> list[RefreshResult]:
    """Mark active tokens past their expiry as expired, and refresh Instagram Login tokens that
    expire within ``REFRESH_WITHIN`` (7 days). A refusal with code 190 marks the token expired;
    other failures leave it active (tried again next run) with the reason in ``last_error``."""
    active = SocialCredential.objects.filter(
        status=CredentialStatus.ACTIVE, expires_at__isnull=False
    ).select_related("account", "workspace")
    if workspace is not None:
        active = active.filter(workspace=workspace)
    results: list[RefreshResult] = []
    for credential in active.filter(expires_at__lte=now).order_by("pk"):
        assert credential.expires_at is not None
        fix = (
            "send the creator a new connect link"
            if is_instagram_login(credential)
            else "paste a new one"
        )
        message = f"the token expired on {credential.expires_at:%Y-%m-%d %H:%M} UTC; {fix}"
        credential_expire(credential=credential, message=message)
        results.append(RefreshResult(credential.pk, _label(credential), "expired", message))
    due = active.filter(
        platform="instagram", expires_at__gt=now, expires_at__lte=now + REFRESH_WITHIN
    ).order_by("expires_at", "pk")
    oauth = None
    for credential in due:
        if not is_instagram_login(credential):
            continue
        oauth = oauth or oauth_client(client)
        try:
            fresh = oauth.refresh(token=credential.token)
        except TokenExpiredError as exc:
            message = f"Instagram refused to refresh the token ({exc}); send the creator a new "
            message += "connect link"
            credential_expire(credential=credential, message=message)
            results.append(RefreshResult(credential.pk, _label(credential), "expired", message))
            continue
        except SocialConnectorError as exc:
            SocialCredential.objects.filter(pk=credential.pk).update(last_error=str(exc)[:2000])
            results.append(RefreshResult(credential.pk, _label(credential), "failed", str(exc)))
            continue
        credential_refresh_store(
            credential=credential, token=fresh.access_token, expires_at=fresh.expires_at(now)
        )
        results.append(
            RefreshResult(
                credential.pk,
                _label(credential),
                "refreshed",
                f"valid until {fresh.expires_at(now):%Y-%m-%d %H:%M} UTC",
            )
        )
    return results

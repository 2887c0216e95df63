"""Creators connect their own Instagram (Instagram Login) or TikTok (Login Kit) account, and
tokens are kept fresh.

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

TikTok (``connectors.tiktok_login``) uses the same link, state and session machinery (its own
salts and session key): the code is exchanged for an access token (2-24 h) with a refresh token,
the token's owner must be the account's handle, and the credential keeps ``refresh_token`` and
``refresh_expires_at``. ``credentials_refresh_due`` refreshes those access tokens within
``TIKTOK_REFRESH_WITHIN`` of expiry (or already expired while the refresh token is valid) and
marks the credential expired when the refresh token has expired or TikTok refuses the refresh.
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
from django.db.models import Q
from django.urls import reverse

from infludesk.connectors.instagram_login import InstagramLoginConnector, InstagramOAuth
from infludesk.connectors.social import SocialConnectorError, TokenExpiredError
from infludesk.connectors.tiktok import TikTokConnector
from infludesk.connectors.tiktok_login import TikTokOAuth, TikTokToken
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
TIKTOK_REFRESH_WITHIN = dt.timedelta(hours=2)
LINK_SALTS = {"instagram": LINK_SALT, "tiktok": "infludesk.creators.tiktok-connect-link"}
STATE_SALTS = {"instagram": STATE_SALT, "tiktok": "infludesk.creators.tiktok-oauth-state"}
SESSION_KEYS = {"instagram": SESSION_KEY, "tiktok": "tiktok_oauth_nonce"}
LABELS = {"instagram": "Instagram", "tiktok": "TikTok"}
SETUP = {
    "instagram": ("Instagram Login", "INSTAGRAM_APP_ID", "INSTAGRAM_APP_SECRET"),
    "tiktok": ("TikTok Login Kit", "TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"),
}


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


def tiktok_oauth_client(client: Any = None) -> TikTokOAuth:
    return TikTokOAuth(
        client_key=settings.TIKTOK_CLIENT_KEY,
        client_secret=settings.TIKTOK_CLIENT_SECRET,
        authorize_url=settings.TIKTOK_AUTHORIZE_URL,
        oauth_url=settings.TIKTOK_OAUTH_URL,
        client=client,
    )


def callback_url(platform: str = "instagram") -> str:
    """The redirect URI to register with the platform (Meta App Dashboard's Business login
    settings, or the TikTok app's Login Kit settings)."""
    return settings.SITE_URL + reverse(f"connect:{platform}_callback")


def is_tiktok_login(credential: SocialCredential) -> bool:
    """Whether the credential came from TikTok Login Kit (it carries a refresh token)."""
    return credential.platform == "tiktok" and bool(credential.refresh_token)


@transaction.atomic
def connect_link_create(*, account: SocialAccount, by: Member | None) -> str:
    """A signed link the creator opens to connect this Instagram or TikTok account (audited)."""
    if account.platform not in LINK_SALTS:
        raise ValidationError(
            {
                "account": "Only Instagram and TikTok accounts can be connected by the "
                "creator's sign-in."
            }
        )
    name, key, secret = SETUP[account.platform]
    if not (getattr(settings, key) and getattr(settings, secret)):
        raise ValidationError(
            {"account": f"{name} is not set up: set {key} and {secret} (see docs/connectors.md)."}
        )
    token = signing.dumps(
        {"w": account.workspace_id, "a": account.pk}, salt=LINK_SALTS[account.platform]
    )
    audit_record(
        workspace=account.workspace,
        actor=by,
        action="social_account.connect_link",
        target=account,
        changes={"valid_days": [None, CONNECT_LINK_DAYS]},
    )
    return settings.SITE_URL + reverse(f"connect:{account.platform}", args=[token])


def account_from_link(token: str, platform: str = "instagram") -> SocialAccount:
    """The account a connect link points to; ConnectError when forged or too old."""
    try:
        data = signing.loads(
            token, salt=LINK_SALTS[platform], max_age=dt.timedelta(days=CONNECT_LINK_DAYS)
        )
        return SocialAccount.objects.select_related("workspace", "creator").get(
            pk=data["a"], workspace_id=data["w"], platform=platform
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
    """The platform's authorize URL for this account, with a single-use signed state."""
    platform = account.platform
    nonce = secrets.token_urlsafe(16)
    session[SESSION_KEYS[platform]] = nonce
    state = signing.dumps(
        {"w": account.workspace_id, "a": account.pk, "n": nonce}, salt=STATE_SALTS[platform]
    )
    oauth: InstagramOAuth | TikTokOAuth = (
        tiktok_oauth_client() if platform == "tiktok" else oauth_client()
    )
    try:
        return oauth.authorize_url(redirect_uri=callback_url(platform), state=state)
    except SocialConnectorError as exc:
        raise ConnectError(f"{SETUP[platform][0]} is not set up", str(exc), 503) from exc


def _state_account(state: str, nonce: str | None, platform: str = "instagram") -> SocialAccount:
    label = LABELS[platform]
    try:
        data = signing.loads(state, salt=STATE_SALTS[platform], max_age=STATE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConnectError(
            "This sign-in took too long",
            f"Nothing was connected. Open the connect link again and continue to {label}.",
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
        .filter(workspace_id=data.get("w") or 0, pk=data.get("a") or 0, platform=platform)
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
    platform: str = "instagram",
) -> ConnectResult:
    """Handle the platform's redirect back: see the module docstring. Stores nothing on error."""
    label = LABELS[platform]
    nonce = session.pop(SESSION_KEYS[platform], None)
    if params.get("error"):
        reason = params.get("error_description") or params.get("error_reason") or params["error"]
        raise ConnectError(
            f"{label} was not connected",
            f"You declined the request on {label} ({reason.replace('+', ' ')}). Nothing was "
            "stored; open the connect link again if you change your mind.",
        )
    account = _state_account(params.get("state", ""), nonce, platform)
    code = params.get("code", "")
    if not code:
        raise ConnectError(f"{label} sent no code", "Nothing was connected. Please try again.")
    if platform == "tiktok":
        credential = _tiktok_store(account=account, code=code, now=now, client=client, sleep=sleep)
    else:
        credential = _instagram_store(
            account=account, code=code, now=now, client=client, sleep=sleep
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


def _instagram_store(
    *, account: SocialAccount, code: str, now: dt.datetime, client: Any, sleep: Any
) -> SocialCredential:
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
    return social_credential_create(
        workspace=account.workspace,
        platform="instagram",
        token=long.access_token,
        by=None,
        external_user_id=profile.external_id or short.user_id,
        account=account,
        expires_at=long.expires_at(now),
        api_url=settings.INSTAGRAM_GRAPH_URL,
    )


def _tiktok_store(
    *, account: SocialAccount, code: str, now: dt.datetime, client: Any, sleep: Any
) -> SocialCredential:
    try:
        token = tiktok_oauth_client(client).exchange_code(
            code=code, redirect_uri=callback_url("tiktok")
        )
        profile = TikTokConnector(
            token=token.access_token,
            base_url=settings.SOCIAL_API_URLS.get("tiktok", ""),
            client=client,
            sleep=sleep,
        ).fetch_account(account.handle)
    except SocialConnectorError as exc:
        raise ConnectError("TikTok was not connected", f"Nothing was stored. {exc}") from exc
    with transaction.atomic():
        credential = social_credential_create(
            workspace=account.workspace,
            platform="tiktok",
            token=token.access_token,
            by=None,
            external_user_id=profile.external_id or token.open_id,
            account=account,
            expires_at=token.expires_at(now),
        )
        credential.refresh_token = token.refresh_token
        credential.refresh_expires_at = token.refresh_expires_at(now)
        credential.save(update_fields=["refresh_token", "refresh_expires_at", "updated_at"])
    return credential


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
    *,
    credential: SocialCredential,
    token: str,
    expires_at: dt.datetime,
    refresh: tuple[str, dt.datetime] | None = None,
) -> SocialCredential:
    """Swap in a refreshed token (audited; the old token is not kept). ``refresh``: TikTok's
    (possibly rotated) refresh token and its expiry."""
    before = credential.expires_at
    credential.token = token
    credential.expires_at = expires_at
    credential.last_error = ""
    fields = ["token", "expires_at", "last_error", "updated_at"]
    if refresh is not None:
        credential.refresh_token, credential.refresh_expires_at = refresh
        fields += ["refresh_token", "refresh_expires_at"]
    credential.save(update_fields=fields)
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
    other failures leave it active (tried again next run) with the reason in ``last_error``.
    TikTok Login Kit tokens: see ``_tiktok_refresh_due`` (run first)."""
    active = SocialCredential.objects.filter(
        status=CredentialStatus.ACTIVE, expires_at__isnull=False
    ).select_related("account", "workspace")
    if workspace is not None:
        active = active.filter(workspace=workspace)
    results = _tiktok_refresh_due(now=now, active=active, client=client)
    tiktok_login = Q(platform="tiktok") & ~Q(refresh_token="")
    for credential in active.filter(expires_at__lte=now).exclude(tiktok_login).order_by("pk"):
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


def _tiktok_refresh_due(
    *, now: dt.datetime, active: Any, client: Any = None
) -> list[RefreshResult]:
    """Refresh TikTok Login Kit access tokens expiring within ``TIKTOK_REFRESH_WITHIN`` (2 hours)
    or already expired, while the refresh token is valid. An expired refresh token, or TikTok
    refusing the refresh, marks the credential expired; an unreachable TikTok leaves it active
    with the reason in ``last_error`` (tried again next run)."""
    results: list[RefreshResult] = []
    due = (
        active.filter(platform="tiktok", expires_at__lte=now + TIKTOK_REFRESH_WITHIN)
        .exclude(refresh_token="")
        .order_by("expires_at", "pk")
    )
    oauth = None
    for credential in due:
        label = _label(credential)
        ends = credential.refresh_expires_at
        if ends is not None and ends <= now:
            message = (
                f"the refresh token expired on {ends:%Y-%m-%d %H:%M} UTC; "
                "send the creator a new connect link"
            )
            credential_expire(credential=credential, message=message)
            results.append(RefreshResult(credential.pk, label, "expired", message))
            continue
        oauth = oauth or tiktok_oauth_client(client)
        try:
            fresh: TikTokToken = oauth.refresh(refresh_token=credential.refresh_token)
        except TokenExpiredError as exc:
            message = f"TikTok refused to refresh the token ({exc}); send the creator a new "
            message += "connect link"
            credential_expire(credential=credential, message=message)
            results.append(RefreshResult(credential.pk, label, "expired", message))
            continue
        except SocialConnectorError as exc:
            SocialCredential.objects.filter(pk=credential.pk).update(last_error=str(exc)[:2000])
            results.append(RefreshResult(credential.pk, label, "failed", str(exc)))
            continue
        refresh_ends = fresh.refresh_expires_at(now) if fresh.refresh_expires_in else ends
        credential_refresh_store(
            credential=credential,
            token=fresh.access_token,
            expires_at=fresh.expires_at(now),
            refresh=(fresh.refresh_token, refresh_ends or fresh.refresh_expires_at(now)),
        )
        results.append(
            RefreshResult(
                credential.pk,
                label,
                "refreshed",
                f"valid until {fresh.expires_at(now):%Y-%m-%d %H:%M} UTC",
            )
        )
    return results

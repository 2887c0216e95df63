"""Tracked links: creation with an unguessable slug and UTM parameters, edits, status, QR codes.

The redirect target of a click is
    destination + utm_source, utm_medium, utm_campaign, utm_content (the non-empty ones)
                + ifd_click=<click id>
with the destination's own query parameters kept in place (same-named UTM / ifd_click ones are
replaced) and its #fragment kept at the end.
"""

from __future__ import annotations

import secrets
import string
from typing import Literal
from urllib.parse import quote, unquote_plus, urlencode, urlsplit, urlunsplit

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.encoding import iri_to_uri

from infludesk.campaigns.models import Deal
from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import Member, Workspace
from infludesk.creators.models import Creator, SocialAccount
from infludesk.tracking.clicklog import bump_link_version
from infludesk.tracking.models import LinkStatus, TrackedLink

SLUG_ALPHABET = string.ascii_letters + string.digits
SLUG_LENGTH = 8  # 62^8 = 2.2e14 slugs: guessing one live link takes ~1e11 tries per 1000 links
CLICK_ID_BYTES = 12  # 96 random bits -> 16 URL-safe characters
CLICK_PARAM = "ifd_click"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
_url_validator = URLValidator(schemes=["http", "https"])


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


def new_click_id() -> str:
    return secrets.token_urlsafe(CLICK_ID_BYTES)


def redirect_target_parts(*, destination_url: str, utm: dict[str, str]) -> tuple[str, str]:
    """(prefix, suffix) so that the redirect target of a click is prefix + click_id + suffix.

    https://shop.test/p?size=42#top with utm_source=instagram gives
    ("https://shop.test/p?size=42&utm_source=instagram&ifd_click=", "#top").
    """
    parts = urlsplit(iri_to_uri(destination_url))
    ours = {k for k, v in utm.items() if v} | {CLICK_PARAM}
    kept = [p for p in parts.query.split("&") if p and unquote_plus(p.split("=", 1)[0]) not in ours]
    added = urlencode([(k, utm[k]) for k in UTM_KEYS if utm.get(k)], quote_via=quote)
    query = "&".join([*kept, *([added] if added else []), f"{CLICK_PARAM}="])
    prefix = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
    return prefix, (f"#{parts.fragment}" if parts.fragment else "")


def redirect_target(link: TrackedLink, click_id: str) -> str:
    prefix, suffix = redirect_target_parts(destination_url=link.destination_url, utm=link_utm(link))
    return prefix + click_id + suffix


def link_utm(link: TrackedLink) -> dict[str, str]:
    return {k: getattr(link, k) for k in UTM_KEYS}


def default_utm(*, creator: Creator, deal: Deal | None) -> dict[str, str]:
    """utm_source = platform and utm_content = handle of the deal's account (else the creator's
    first account), utm_medium = influencer, utm_campaign = the deal's campaign slug."""
    account: SocialAccount | None = None
    if deal is not None and deal.account_id is not None:
        account = deal.account
    if account is None:
        account = creator.accounts.order_by("created_at", "id").first()
    return {
        "utm_source": account.platform if account else "",
        "utm_medium": "influencer",
        "utm_campaign": deal.campaign.slug if deal is not None else "",
        "utm_content": account.handle if account else "",
    }


def _check_url(value: str, field: str) -> None:
    try:
        _url_validator(value)
    except ValidationError as exc:
        raise ValidationError({field: "Enter a full http:// or https:// address."}) from exc


def _after_commit_invalidate() -> None:
    transaction.on_commit(bump_link_version)


@transaction.atomic
def tracked_link_create(
    *,
    workspace: Workspace,
    creator: Creator,
    destination_url: str,
    by: Member | None,
    deal: Deal | None = None,
    utm_source: str | None = None,
    utm_medium: str | None = None,
    utm_campaign: str | None = None,
    utm_content: str | None = None,
    fallback_url: str = "",
) -> TrackedLink:
    """A new active link with a fresh slug. UTM values left as None get their defaults
    (`default_utm`); an empty string leaves that parameter out of the target."""
    if creator.workspace_id != workspace.pk:
        raise ValidationError({"creator": "This creator belongs to another workspace."})
    if deal is not None and (deal.workspace_id != workspace.pk or deal.creator_id != creator.pk):
        raise ValidationError({"deal": "This deal is not this creator's deal in this workspace."})
    _check_url(destination_url, "destination_url")
    if fallback_url:
        _check_url(fallback_url, "fallback_url")
    utm = default_utm(creator=creator, deal=deal)
    given = {
        "utm_source": utm_source,
        "utm_medium": utm_medium,
        "utm_campaign": utm_campaign,
        "utm_content": utm_content,
    }
    utm.update({k: v.strip() for k, v in given.items() if v is not None})
    for _attempt in range(5):
        link = TrackedLink(
            workspace=workspace,
            creator=creator,
            deal=deal,
            slug=new_slug(),
            destination_url=destination_url,
            fallback_url=fallback_url,
            **utm,
        )
        link.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                link.save()
            break
        except IntegrityError:  # slug collision: astronomically rare, try another
            continue
    else:
        raise RuntimeError("could not find a free slug in 5 attempts")
    audit_record(workspace=workspace, actor=by, action="tracked_link.create", target=link)
    _after_commit_invalidate()
    return link


_UNSET: str = "\x00unset"


@transaction.atomic
def tracked_link_update(
    *,
    link: TrackedLink,
    by: Member | None,
    destination_url: str = _UNSET,
    utm_source: str = _UNSET,
    utm_medium: str = _UNSET,
    utm_campaign: str = _UNSET,
    utm_content: str = _UNSET,
    fallback_url: str = _UNSET,
) -> TrackedLink:
    """Change the destination, UTM values or fallback; arguments not given stay as they are."""
    before = snapshot_fields(link)
    changes = {
        "destination_url": destination_url,
        "utm_source": utm_source,
        "utm_medium": utm_medium,
        "utm_campaign": utm_campaign,
        "utm_content": utm_content,
        "fallback_url": fallback_url,
    }
    for field, value in changes.items():
        if value is _UNSET:
            continue
        value = value.strip()
        if field == "destination_url" or (field == "fallback_url" and value):
            _check_url(value, field)
        setattr(link, field, value)
    if link.status == LinkStatus.PAUSED and not link.fallback_url:
        raise ValidationError({"fallback_url": "A paused link needs a fallback URL."})
    link.full_clean(validate_unique=False)
    link.save()
    audit_record(
        workspace=link.workspace,
        actor=by,
        action="tracked_link.update",
        target=link,
        changes=changed_fields(before, snapshot_fields(link)),
    )
    _after_commit_invalidate()
    return link


@transaction.atomic
def tracked_link_set_status(
    *, link: TrackedLink, status: str, by: Member | None, fallback_url: str | None = None
) -> TrackedLink:
    """Activate, pause (clicks go to the fallback URL, not logged) or disable (404 page)."""
    if status not in LinkStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    before = snapshot_fields(link, ["status", "fallback_url"])
    if fallback_url is not None:
        if fallback_url:
            _check_url(fallback_url, "fallback_url")
        link.fallback_url = fallback_url
    if status == LinkStatus.PAUSED and not link.fallback_url:
        raise ValidationError({"fallback_url": "A paused link needs a fallback URL."})
    link.status = status
    link.save(update_fields=["status", "fallback_url", "updated_at"])
    audit_record(
        workspace=link.workspace,
        actor=by,
        action=f"tracked_link.{status}",
        target=link,
        changes=changed_fields(before, snapshot_fields(link, ["status", "fallback_url"])),
    )
    _after_commit_invalidate()
    return link


def short_url(link: TrackedLink) -> str:
    return f"{settings.SITE_URL}/l/{link.slug}"


def tracked_link_qr(link: TrackedLink, *, fmt: Literal["svg", "png"], scale: int = 8) -> bytes:
    """The link's short URL as a QR code (error correction M, 4-module quiet zone)."""
    import io

    qr = segno.make(short_url(link), error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind=fmt, scale=scale, border=4)
    return out.getvalue()

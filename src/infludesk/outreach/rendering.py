"""Filling an email template's {{variables}} for a deal. Only the names listed here exist, so a
typo is an error the user sees in the preview, not a blank in a sent mail."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from infludesk.campaigns.content import draft_link_token
from infludesk.campaigns.models import Deal
from infludesk.tracking.models import DiscountCode, LinkStatus, TrackedLink

VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")

VARIABLES = {
    "creator.name": "the creator's name",
    "creator.first_name": "the creator's first name (else their name)",
    "campaign.name": "the campaign's name",
    "campaign.product": "the product the campaign promotes",
    "deal.link": "the deal's tracked link",
    "deal.code": "the deal's discount code",
    "deal.fee": "the agreed cash fee with its currency",
    "deal.brief_link": "the creator's page with the campaign brief, where they also submit drafts "
    "(signed; no account needed)",
    "brand.name": "the workspace (brand) name",
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    missing: list[str]


def deal_context(deal: Deal) -> dict[str, str]:
    """The values of every variable for this deal ('' where the deal has none yet)."""
    link = (
        TrackedLink.objects.filter(workspace=deal.workspace, deal=deal, status=LinkStatus.ACTIVE)
        .order_by("created_at")
        .first()
    )
    code = (
        DiscountCode.objects.filter(workspace=deal.workspace, deal=deal)
        .order_by("created_at")
        .first()
    )
    creator = deal.creator
    return {
        "creator.name": creator.name,
        "creator.first_name": creator.first_name or creator.name,
        "campaign.name": deal.campaign.name,
        "campaign.product": deal.campaign.product,
        "deal.link": f"{settings.SITE_URL}/l/{link.slug}" if link else "",
        "deal.code": code.code if code else "",
        "deal.fee": f"{deal.fee_cash} {deal.currency}" if deal.fee_cash else "",
        "deal.brief_link": f"{settings.SITE_URL}/content/c/{draft_link_token(deal)}/",
        "brand.name": deal.workspace.name,
    }


def unknown_variables(*texts: str) -> list[str]:
    names = {m.group(1) for text in texts for m in VARIABLE.finditer(text)}
    return sorted(names - set(VARIABLES))


def render(subject: str, body: str, context: dict[str, str]) -> Rendered:
    """Replace each {{name}}; unknown names raise ValidationError naming them and the
    field; names without a value for this deal are listed in `missing`."""
    errors: dict[str, list[str]] = {}
    for field, text in (("subject", subject), ("body", body)):
        unknown = unknown_variables(text)
        if unknown:
            errors[field] = [
                f"Unknown variable(s) {', '.join('{{' + u + '}}' for u in unknown)}; "
                f"use one of {', '.join(VARIABLES)}."
            ]
    if errors:
        raise ValidationError(errors)
    missing: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        value = context.get(match.group(1), "")
        if not value:
            missing.add(match.group(1))
        return value

    return Rendered(
        subject=VARIABLE.sub(fill, subject), body=VARIABLE.sub(fill, body), missing=sorted(missing)
    )

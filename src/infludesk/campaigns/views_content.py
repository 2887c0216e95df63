"""Content review pages: the manager's review of a deal's drafts (with the brief), and the
creator's signed page for submitting a draft without an account."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from infludesk.campaigns import content
from infludesk.campaigns.files import ALLOWED, max_bytes
from infludesk.campaigns.models import ContentDraft, Deal, Relationship
from infludesk.core.permissions import member_required


def _errors(exc: ValidationError) -> list[str]:
    return (
        [m for ms in exc.message_dict.values() for m in ms]
        if hasattr(exc, "error_dict")
        else exc.messages
    )


@member_required()
def deal_content(request: HttpRequest, deal_id: int) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    deal = get_object_or_404(
        Deal.objects.select_related("campaign", "creator"),
        pk=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    errors: list[str] = []
    if request.method == "POST":
        if not member.can_write:
            return HttpResponse("Your role in this workspace is read-only.", status=403)
        action = request.POST.get("action", "")
        try:
            if action == "brief":
                content.brief_save(
                    campaign=deal.campaign,
                    by=member,
                    key_messages=request.POST.get("key_messages", ""),
                    dos=request.POST.get("dos", ""),
                    donts=request.POST.get("donts", ""),
                    hashtags=request.POST.get("hashtags", ""),
                    mentions=request.POST.get("mentions", ""),
                    links=request.POST.get("links", ""),
                    relationship=request.POST.get("relationship", "paid"),
                    disclosure_rules=request.POST.get("disclosure_rules", ""),
                )
                messages.success(request, "Brief saved; new drafts are checked against it.")
            elif action == "submit":
                content.draft_submit(
                    deal=deal,
                    caption=request.POST.get("caption", ""),
                    media_url=request.POST.get("media_url", ""),
                    media_file=request.FILES.get("media_file"),
                    by=member,
                )
                messages.success(request, "Draft added and checked.")
            elif action in ("approve", "changes"):
                draft = get_object_or_404(
                    ContentDraft, pk=request.POST.get("draft", "0") or 0, deal=deal
                )
                content.draft_review(
                    draft=draft,
                    approve=action == "approve",
                    comment=request.POST.get("comment", ""),
                    override_note=request.POST.get("override_note", ""),
                    by=member,
                )
                messages.success(request, "Review saved.")
            else:
                errors.append(f"Unknown action {action!r}.")
        except ValidationError as exc:
            errors.extend(_errors(exc))
        if not errors:
            return redirect("content:deal", deal_id=deal.pk)
    return render(
        request,
        "campaigns/content.html",
        {
            "deal": deal,
            "brief": content.brief_for(deal.campaign),
            "drafts": ContentDraft.objects.filter(deal=deal)
            .select_related("media_file")
            .order_by("-version"),
            "creator_link": request.build_absolute_uri(
                f"/content/c/{content.draft_link_token(deal)}/"
            ),
            "errors": errors,
            "relationships": Relationship.choices,
            "max_mb": f"{max_bytes() / 1024 / 1024:g}",
            "accept": ",".join(ALLOWED),
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def creator_submit(request: HttpRequest, token: str) -> HttpResponse:
    """The creator's page: the brief and a form for the next draft version."""
    try:
        deal = content.deal_from_draft_token(token)
    except ValidationError:
        return render(request, "campaigns/creator_draft.html", {"invalid": True}, status=404)
    result = None
    errors: list[str] = []
    if request.method == "POST":
        try:
            result = content.draft_submit(
                deal=deal,
                caption=request.POST.get("caption", ""),
                media_url=request.POST.get("media_url", ""),
                media_file=request.FILES.get("media_file"),
                by=None,
                via="creator",
            )
        except ValidationError as exc:
            errors = _errors(exc)
    return render(
        request,
        "campaigns/creator_draft.html",
        {
            "deal": deal,
            "brief": content.brief_for(deal.campaign),
            "result": result,
            "errors": errors,
            "max_mb": f"{max_bytes() / 1024 / 1024:g}",
            "accept": ",".join(ALLOWED),
        },
        status=400 if errors else 200,
    )

"""Outreach pages: templates, a deal's thread with compose / preview / send, logging replies,
the contract-by-email partial of the deal page, the inbound-mail endpoints (per workspace and
per deal) and the unsubscribe link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from infludesk.campaigns.documents import contract_for
from infludesk.campaigns.models import Deal
from infludesk.core.models import Workspace
from infludesk.core.permissions import member_required
from infludesk.creators.models import Creator
from infludesk.outreach import contracts, selectors, services
from infludesk.outreach.forms import ComposeForm, EmailTemplateForm, ReplyForm
from infludesk.outreach.models import Direction, EmailTemplate, MessageStatus
from infludesk.outreach.rendering import VARIABLES, deal_context
from infludesk.outreach.rendering import render as render_mail

MAX_INBOUND_BYTES = 5 * 1024 * 1024


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@member_required()
def template_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = EmailTemplateForm()
    if request.method == "POST":
        if not request.member.can_write:  # type: ignore[attr-defined]
            return HttpResponse("Your role in this workspace is read-only.", status=403)
        form = EmailTemplateForm(request.POST)
        if form.is_valid():
            try:
                services.email_template_save(
                    workspace=workspace,
                    by=request.member,  # type: ignore[attr-defined]
                    **form.cleaned_data,
                )
                messages.success(request, "Template saved.")
                return redirect("outreach:templates")
            except ValidationError as exc:
                _add_errors(form, exc)
    return render(
        request,
        "outreach/templates.html",
        {
            "templates": selectors.templates_list(workspace=workspace),
            "form": form,
            "variables": VARIABLES,
            "inbound_url": services.inbound_url(workspace),
        },
        status=400 if form.errors else 200,
    )


@member_required()
def deal_thread(request: HttpRequest, deal_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    member = request.member  # type: ignore[attr-defined]
    deal = get_object_or_404(
        Deal.objects.select_related("creator", "campaign", "workspace"),
        pk=deal_id,
        workspace=workspace,
    )
    initial: dict[str, Any] = {}
    template_id = request.GET.get("template", "")
    if template_id.isdigit():
        template = get_object_or_404(EmailTemplate, pk=int(template_id), workspace=workspace)
        initial = {
            "subject": template.subject,
            "body": template.body,
            "follow_up_after_days": template.follow_up_after_days,
        }
    compose = ComposeForm(initial=initial)
    reply = ReplyForm()
    preview = None
    status = 200
    if request.method == "POST":
        if not member.can_write:
            return HttpResponse("Your role in this workspace is read-only.", status=403)
        action = request.POST.get("action")
        if action == "reply":
            reply = ReplyForm(request.POST)
            if reply.is_valid():
                services.reply_log(deal=deal, body=reply.cleaned_data["body"], by=member)
                messages.success(request, "Reply logged.")
                return redirect("outreach:deal", deal_id=deal.pk)
        else:
            compose = ComposeForm(request.POST)
            if compose.is_valid():
                data = compose.cleaned_data
                try:
                    if action == "send":
                        services.email_send(
                            deal=deal,
                            subject=data["subject"],
                            body=data["body"],
                            by=member,
                            follow_up_after_days=data["follow_up_after_days"],
                        )
                        messages.success(request, f"Sent to {deal.creator.email}.")
                        return redirect("outreach:deal", deal_id=deal.pk)
                    preview = render_mail(data["subject"], data["body"], deal_context(deal))
                except ValidationError as exc:
                    _add_errors(compose, exc)
        status = 400 if (compose.errors or reply.errors) else 200
    return render(
        request,
        "outreach/deal_thread.html",
        {
            "deal": deal,
            "thread_messages": selectors.thread_messages(workspace=workspace, deal=deal),
            "templates": selectors.templates_list(workspace=workspace),
            "compose": compose,
            "reply": reply,
            "preview": preview,
            "variables": VARIABLES,
            "deal_inbound_url": services.deal_inbound_url(deal),
            "reply_to": services.deal_reply_to(deal),
        },
        status=status,
    )


def _workspace_deal(request: HttpRequest, deal_id: int) -> Deal:
    return get_object_or_404(
        Deal.objects.select_related("creator", "campaign", "workspace"),
        pk=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )


@member_required()
def deal_contract(request: HttpRequest, deal_id: int) -> HttpResponse:
    """The deal page's contract section (pulled in by htmx: campaigns may not import outreach)."""
    deal = _workspace_deal(request, deal_id)
    contract = contract_for(deal)
    filename = contracts.contract_filename(deal)
    mailed = selectors.thread_messages(workspace=deal.workspace, deal=deal).filter(
        direction=Direction.OUTBOUND, status=MessageStatus.SENT
    )
    last_mail = next((m for m in reversed(list(mailed)) if filename in m.attachments), None)
    return render(
        request,
        "outreach/_deal_contract.html",
        {"deal": deal, "contract": contract, "last_mail": last_mail},
    )


@require_POST
@member_required(write=True)
def contract_send(request: HttpRequest, deal_id: int) -> HttpResponse:
    """Email the contract PDF to the creator and mark it sent; back to the deal page."""
    deal = _workspace_deal(request, deal_id)
    try:
        contracts.contract_email_send(deal=deal, by=request.member)  # type: ignore[attr-defined]
        messages.success(request, f"Contract sent to {deal.creator.email} as a PDF.")
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, f"Contract: {error}")
    return redirect("deals:detail", deal_id=deal.pk)


@csrf_exempt
@require_POST
def inbound(request: HttpRequest, token: str) -> HttpResponse:
    """A mail provider posts one raw RFC 822 message. 201 filed, 200 seen before, 422 no
    matching conversation or not a mail, 404 unknown address."""
    try:
        workspace = services.inbound_workspace(token)
    except ValidationError:
        return JsonResponse({"detail": "Unknown inbound address."}, status=404)
    return _receive(request, workspace, None)


def _receive(request: HttpRequest, workspace: Workspace, deal: Deal | None) -> HttpResponse:
    if len(request.body) > MAX_INBOUND_BYTES:
        return JsonResponse({"detail": "Message larger than 5 MB."}, status=413)
    if not request.body:
        return HttpResponseBadRequest("Post the raw message as the request body.")
    try:
        message, created = services.inbound_receive(
            workspace=workspace, raw=request.body, deal=deal
        )
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=422)
    return JsonResponse(
        {"thread": message.thread_id, "message": message.pk, "created": created},
        status=201 if created else 200,
    )


@csrf_exempt
@require_POST
def deal_inbound(request: HttpRequest, token: str) -> HttpResponse:
    """A raw reply for one deal, posted to the deal's signed URL: filed on that deal's thread
    whatever its headers say. 404 (nothing stored) when the signature is wrong."""
    try:
        deal = services.deal_for_inbound_token(token)
    except ValidationError:
        return JsonResponse({"detail": "Unknown inbound address."}, status=404)
    return _receive(request, deal.workspace, deal)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST, from the
    page or a mail client's one-click List-Unsubscribe-Post, sets do-not-contact."""
    if request.method == "GET":
        return render(request, "outreach/unsubscribe.html", {"token": token, "done": False})
    try:
        creator: Creator = services.creator_unsubscribe(token=token)
    except (ValidationError, Creator.DoesNotExist):
        return render(
            request, "outreach/unsubscribe.html", {"invalid": True, "done": False}, status=400
        )
    return render(request, "outreach/unsubscribe.html", {"done": True, "creator": creator})

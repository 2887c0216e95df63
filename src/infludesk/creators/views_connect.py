"""Account connections: the panel the creator page loads (token status, connect links) and the
creator-facing Instagram Login and TikTok Login Kit pages (no sign-in to Infludesk needed; the
signed link is the key).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infludesk.core.permissions import member_required
from infludesk.creators import social_connect
from infludesk.creators.models import Creator, SocialAccount, SocialCredential
from infludesk.creators.sync import is_instagram_login


def _panel(
    request: HttpRequest,
    creator: Creator,
    *,
    link: str = "",
    link_account: int | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    accounts = list(
        SocialAccount.objects.filter(workspace=workspace, creator=creator).order_by(
            "platform", "pk"
        )
    )
    latest: dict[int, SocialCredential] = {}
    for credential in SocialCredential.objects.filter(
        workspace=workspace, account__creator=creator
    ).order_by("-pk"):
        latest.setdefault(credential.account_id, credential)  # type: ignore[arg-type]
    rows = [
        {
            "account": a,
            "credential": latest.get(a.pk),
            "via_login": a.pk in latest
            and (is_instagram_login(latest[a.pk]) or social_connect.is_tiktok_login(latest[a.pk])),
            "link": link if a.pk == link_account else "",
        }
        for a in accounts
    ]
    return render(
        request,
        "creators/_connections.html",
        {"creator": creator, "rows": rows, "errors": errors or []},
        status=status,
    )


@member_required()
@require_GET
def connections_panel(request: HttpRequest, creator_id: int) -> HttpResponse:
    creator = get_object_or_404(Creator, workspace=request.workspace, pk=creator_id)  # type: ignore[attr-defined]
    return _panel(request, creator)


@member_required(write=True)
@require_POST
def connect_link_create(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(
        SocialAccount.objects.select_related("creator", "workspace"),
        workspace=request.workspace,  # type: ignore[attr-defined]
        pk=account_id,
    )
    try:
        link = social_connect.connect_link_create(account=account, by=request.member)  # type: ignore[attr-defined]
    except ValidationError as exc:
        errors = [m for messages in exc.message_dict.values() for m in messages]
        return _panel(request, account.creator, errors=errors, status=400)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("creators:detail", account.creator_id)
    return _panel(request, account.creator, link=link, link_account=account.pk)


def _problem(
    request: HttpRequest, exc: social_connect.ConnectError, platform: str = "instagram"
) -> HttpResponse:
    return render(
        request,
        "creators/connect.html",
        {
            "problem": {"title": exc.title, "message": exc.message},
            "label": social_connect.LABELS[platform],
        },
        status=exc.status,
    )


def _connect(request: HttpRequest, token: str, platform: str) -> HttpResponse:
    try:
        account = social_connect.account_from_link(token, platform)
    except social_connect.ConnectError as exc:
        return _problem(request, exc, platform)
    if request.method == "POST":
        try:
            url = social_connect.oauth_start(account=account, session=request.session)
        except social_connect.ConnectError as exc:
            return _problem(request, exc, platform)
        return redirect(url)
    label = social_connect.LABELS[platform]
    return render(request, "creators/connect.html", {"account": account, "label": label})


def _callback(request: HttpRequest, platform: str) -> HttpResponse:
    try:
        result = social_connect.oauth_finish(
            params=request.GET.dict(),
            session=request.session,
            now=timezone.now(),
            platform=platform,
        )
    except social_connect.ConnectError as exc:
        return _problem(request, exc, platform)
    label = social_connect.LABELS[platform]
    return render(request, "creators/connect.html", {"result": result, "label": label})


@require_http_methods(["GET", "POST"])
def instagram_connect(request: HttpRequest, token: str) -> HttpResponse:
    """The page a creator's connect link opens; its button sends them to Instagram."""
    return _connect(request, token, "instagram")


@require_GET
def instagram_callback(request: HttpRequest) -> HttpResponse:
    """Where Instagram sends the creator back (the redirect URI registered with Meta)."""
    return _callback(request, "instagram")


@require_http_methods(["GET", "POST"])
def tiktok_connect(request: HttpRequest, token: str) -> HttpResponse:
    """The page a creator's TikTok connect link opens; its button sends them to TikTok."""
    return _connect(request, token, "tiktok")


@require_GET
def tiktok_callback(request: HttpRequest) -> HttpResponse:
    """Where TikTok sends the creator back (the redirect URI registered in Login Kit)."""
    return _callback(request, "tiktok")

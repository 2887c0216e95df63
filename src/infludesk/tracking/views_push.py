"""Push discount codes to a connected store from the web UI (owners and managers).

One code (from the codes list or the deal page) or a whole batch is created in a chosen Shopify
or WooCommerce connection through tracking/codes.py. The store's refusal is shown on the page
with a 502 (the store, not Infludesk, failed); a bad choice of store is a 400 naming it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from infludesk.connectors.base import ConnectorError, CreatedDiscount
from infludesk.core.models import Member, Workspace
from infludesk.core.permissions import member_required
from infludesk.tracking.codes import (
    DiscountCodeError,
    code_push_retry,
    discount_batch_push,
    discount_code_push,
)
from infludesk.tracking.models import CodePush, DiscountCode, PushStatus, StoreConnection
from infludesk.tracking.selectors import pushable_stores


def store_label(store: StoreConnection) -> str:
    return f"{store.get_platform_display()} · {store.shop_domain or store.api_url or store.pk}"


class PushForm(forms.Form):
    store = forms.ModelChoiceField(
        queryset=StoreConnection.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": (
                "Choose one of this workspace's active Shopify or WooCommerce stores "
                "with an API token."
            ),
            "required": "Choose a store.",
        },
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["store"]
        field.queryset = pushable_stores(workspace=workspace)  # type: ignore[attr-defined]
        field.label_from_instance = store_label  # type: ignore[attr-defined]


def _push(request: HttpRequest, form: PushForm, push: Any) -> CreatedDiscount | tuple[int, str]:
    """Run the push; the created discount, or (status, the error message to show): 502 when
    the store refused, 400 when Infludesk did (e.g. the code is already in that store)."""
    member = request.member  # type: ignore[attr-defined]
    try:
        created: CreatedDiscount = push(form.cleaned_data["store"], member)
    except ConnectorError as exc:
        return 502, f"The store did not accept the code(s): {exc}"
    except DiscountCodeError as exc:
        return 400, f"Not pushed: {exc}."
    return created


def _render(
    request: HttpRequest, context: dict[str, Any], *, status: int = 200, error: str = ""
) -> HttpResponse:
    return render(
        request, "tracking/code_push.html", {**context, "push_error": error}, status=status
    )


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def code_push_view(request: HttpRequest, code_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    code = get_object_or_404(
        DiscountCode.objects.select_related("workspace", "deal__campaign", "creator"),
        workspace=workspace,
        pk=code_id,
    )
    form = PushForm(request.POST or None, workspace=workspace)
    back = "deal" if request.POST.get("back") == "deal" and code.deal_id else ""
    context = {"form": form, "code": code, "batch": None, "back": back}
    if request.method != "POST":
        return _render(request, context)
    if not form.is_valid():
        return _render(request, context, status=400)

    def push(store: StoreConnection, member: Member) -> CreatedDiscount:
        return discount_code_push(code=code, connection=store, by=member)

    result = _push(request, form, push)
    if isinstance(result, tuple):
        return _render(request, context, status=result[0], error=result[1])
    store = form.cleaned_data["store"]
    messages.success(
        request, f"Code {code.code} created in {store_label(store)} (id {result.remote_id})."
    )
    if back == "deal":
        return redirect("deals:detail", deal_id=code.deal_id)
    return redirect("tracking:codes")


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def batch_push_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    batch = (request.POST.get("batch") or request.GET.get("batch") or "").strip()
    count = DiscountCode.objects.filter(workspace=workspace, batch=batch).count() if batch else 0
    if not count:
        raise Http404("No batch of that name in this workspace.")
    form = PushForm(request.POST or None, workspace=workspace)
    context = {"form": form, "code": None, "batch": batch, "count": count, "back": ""}
    if request.method != "POST":
        return _render(request, context)
    if not form.is_valid():
        return _render(request, context, status=400)

    def push(store: StoreConnection, member: Member) -> CreatedDiscount:
        return discount_batch_push(workspace=workspace, batch=batch, connection=store, by=member)

    result = _push(request, form, push)
    if isinstance(result, tuple):
        return _render(request, context, status=result[0], error=result[1])
    store = form.cleaned_data["store"]
    messages.success(
        request, f"{len(result.codes)} codes of {batch} created in {store_label(store)}."
    )
    return redirect(reverse("tracking:codes") + "?" + urlencode({"batch": batch}))


@require_POST
@member_required(write=True)
def push_retry_view(request: HttpRequest, push_id: int) -> HttpResponse:
    """Queue a failed automatic push again (the deal page's retry button)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    push = get_object_or_404(
        CodePush.objects.select_related("code__workspace", "store"), workspace=workspace, pk=push_id
    )
    push = code_push_retry(push=push, by=request.member)  # type: ignore[attr-defined]
    if push.status == PushStatus.PENDING:
        messages.success(
            request, f"{push.code.code} will be pushed to {store_label(push.store)} again."
        )
    else:
        messages.info(request, f"{push.code.code}: nothing to retry ({push.get_status_display()}).")
    if push.code.deal_id:
        return redirect("deals:detail", deal_id=push.code.deal_id)
    return redirect("tracking:codes")

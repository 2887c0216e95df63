"""Upserting imported rows: creators and accounts by (platform, handle), posts by (account,
post id), comments by (post, comment id).

Rules every kind follows:
- a handle matches whatever its case and a leading @ (platforms treat them so);
- an empty cell leaves the stored value alone, so a partial file never wipes data;
- a row that matches an existing record counts as ``updated``; when none of its values differ
  it is also counted ``unchanged`` and nothing is written (no audit noise on re-imports);
- creators and accounts are written through ``creators.services`` (their validation, tier and
  audit entries); posts and comments have no service yet and are validated with ``full_clean``.

The caller runs each row in its own savepoint and loads the records a chunk of rows may match
in a few queries (``Chunk*.load``), so the query count per row stays flat.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower

from infludesk.core.models import Member, Workspace
from infludesk.creators import importing_cells as cells
from infludesk.creators.models import Creator, Post, PostComment, SocialAccount
from infludesk.creators.services import (
    creator_create,
    creator_update,
    social_account_create,
    social_account_update,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

CONVERTERS: dict[str, Callable[[str], Any]] = {
    "platform": cells.to_platform,
    "handle": cells.to_handle,
    "name": cells.to_text,
    "email": cells.to_email,
    "display_name": cells.to_text,
    "followers": cells.to_count,
    "following": cells.to_count,
    "posts": cells.to_count,
    "country": cells.to_country,
    "language": cells.to_language,
    "categories": cells.to_categories,
    "verified": cells.to_bool,
    "bio": cells.to_text,
    "url": cells.to_text,
    "external_id": cells.to_text,
    "post_id": cells.to_text,
    "posted_at": cells.to_datetime,
    "caption": cells.to_text,
    "likes": cells.to_count,
    "comments": cells.to_count,
    "shares": cells.to_count,
    "saves": cells.to_count,
    "views": cells.to_count,
    "media_type": cells.to_text,
    "comment_id": cells.to_text,
    "text": cells.to_text,
    "author": cells.to_handle,
}
# Model field -> import key, for naming the column of a service's ValidationError.
FIELD_KEYS = {"posts_count": "posts", "platform_post_id": "post_id", "external_id": "external_id"}


class RowProblems(Exception):
    """The row cannot be imported; ``problems`` is [(import key or '', message)]."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def convert(values: dict[str, str], *, required: Sequence[str] = ()) -> dict[str, Any]:
    """The non-empty cells converted; every bad or missing cell is reported at once."""
    result: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, text in values.items():
        if not text:
            continue
        try:
            result[key] = CONVERTERS[key](text)
        except cells.CellError as exc:
            problems.append((key, str(exc)))
    for key in required:
        if not values.get(key) and not any(k == key for k, _ in problems):
            problems.append((key, "This value is required."))
    if problems:
        raise RowProblems(problems)
    return result


def problems_from(exc: ValidationError, *, fields: dict[str, str] | None = None) -> RowProblems:
    """A service's ValidationError as row problems keyed by import key."""
    names = {**FIELD_KEYS, **(fields or {})}
    if not hasattr(exc, "error_dict"):
        return RowProblems([("", " ".join(exc.messages))])
    problems = []
    for name, errors in exc.message_dict.items():
        key = names.get(name, name)
        problems.append(
            ("" if key in ("__all__", "creator", "account", "post") else key, " ".join(errors))
        )
    return RowProblems(problems)


def _key(platform: str, handle: str) -> tuple[str, str]:
    return platform, handle.lower()


def _accounts_matching(workspace: Workspace, keys: set[tuple[str, str]]) -> list[SocialAccount]:
    if not keys:
        return []
    query = Q()
    for platform in {p for p, _ in keys}:
        handles = [h for p, h in keys if p == platform]
        query |= Q(platform=platform, handle_lower__in=handles)
    return list(
        SocialAccount.objects.filter(workspace=workspace)
        .annotate(handle_lower=Lower("handle"))
        .filter(query)
        .select_related("creator", "workspace")
    )


def _row_keys(rows: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    keys = set()
    for values in rows:
        try:
            keys.add(_key(cells.to_platform(values["platform"]), cells.to_handle(values["handle"])))
        except (cells.CellError, KeyError):
            continue  # the row reports it when it is processed
    return keys


@dataclass
class Context:
    """What the rows of one job share: who imports, and the records matched so far."""

    workspace: Workspace
    by: Member | None
    accounts: dict[tuple[str, str], SocialAccount] = field(default_factory=dict)
    creators_by_email: dict[str, Creator] = field(default_factory=dict)
    posts: dict[tuple[int, str], Post] = field(default_factory=dict)
    comments: dict[tuple[int, str], PostComment] = field(default_factory=dict)
    touched_accounts: set[int] = field(default_factory=set)

    def load(self, kind: str, rows: Sequence[dict[str, str]]) -> None:
        """Fetch the records this chunk of rows may match (a handful of queries)."""
        chunk_keys = _row_keys(rows)
        for account in _accounts_matching(self.workspace, chunk_keys - set(self.accounts)):
            self.accounts[_key(account.platform, account.handle)] = account
        chunk_accounts = {self.accounts[k].pk for k in chunk_keys if k in self.accounts}
        if kind == "creators":
            emails = {v.get("email", "").strip().lower() for v in rows} - {""}
            emails -= set(self.creators_by_email)
            if emails:
                found = Creator.objects.filter(workspace=self.workspace).annotate(
                    email_lower=Lower("email")
                )
                for creator in found.filter(email_lower__in=emails).order_by("pk"):
                    self.creators_by_email.setdefault(creator.email.lower(), creator)
        elif kind in ("posts", "comments"):
            self._load_posts(rows, chunk_accounts)
        if kind == "comments":
            post_ids = {p.pk for p in self.posts.values() if p.account_id in chunk_accounts}
            wanted = {v.get("comment_id", "").strip() for v in rows} - {""}
            for comment in PostComment.objects.filter(
                workspace=self.workspace, post_id__in=post_ids, external_id__in=wanted
            ):
                self.comments[(comment.post_id, comment.external_id)] = comment

    def _load_posts(self, rows: Sequence[dict[str, str]], account_ids: set[int]) -> None:
        wanted = {v.get("post_id", "").strip() for v in rows} - {""}
        for post in Post.objects.filter(
            workspace=self.workspace, account_id__in=account_ids, platform_post_id__in=wanted
        ):
            self.posts[(post.account_id, post.platform_post_id)] = post

    def account(self, platform: str, handle: str) -> SocialAccount:
        account = self.accounts.get(_key(platform, handle))
        if account is None:
            raise RowProblems(
                [("handle", f"No {platform} account @{handle} in this workspace; import it first.")]
            )
        return account


# --- creators and accounts -----------------------------------------------------------------

ACCOUNT_KEYS = {
    "display_name": "display_name",
    "followers": "followers",
    "following": "following",
    "posts": "posts_count",
    "bio": "bio",
    "country": "country",
    "language": "language",
    "categories": "categories",
    "verified": "verified",
    "url": "url",
    "external_id": "external_id",
}
STATS_FIELDS = {"followers", "posts_count"}


def _differences(instance: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in wanted.items() if getattr(instance, name) != value}


def upsert_creator_row(ctx: Context, values: dict[str, str]) -> str:
    """One creators-file row: update the account with this (platform, handle), or create it
    (and its creator: the one with the row's email, else a new one named after the row)."""
    data = convert(values, required=("platform", "handle"))
    platform, handle = data["platform"], data["handle"]
    account_fields = {ACCOUNT_KEYS[k]: v for k, v in data.items() if k in ACCOUNT_KEYS}
    creator_fields = {k: data[k] for k in ("name", "email") if k in data}
    account = ctx.accounts.get(_key(platform, handle))
    try:
        if account is not None:
            return _update_account(ctx, account, account_fields, creator_fields)
        account = _create_account(ctx, platform, handle, account_fields, creator_fields)
    except ValidationError as exc:
        raise problems_from(exc) from exc
    ctx.accounts[_key(platform, handle)] = account
    ctx.touched_accounts.add(account.pk)
    return CREATED


def _update_account(
    ctx: Context,
    account: SocialAccount,
    account_fields: dict[str, Any],
    creator_fields: dict[str, Any],
) -> str:
    account_changes = _differences(account, account_fields)
    creator_changes = _differences(account.creator, creator_fields)
    try:
        if creator_changes:
            creator_update(creator=account.creator, by=ctx.by, **creator_changes)
        if account_changes:
            social_account_update(account=account, by=ctx.by, **account_changes)
    except ValidationError:
        # the services set the rejected values on the cached objects before validating;
        # the savepoint undid the database, so undo the objects too for later rows
        account.refresh_from_db()
        account.creator.refresh_from_db()
        raise
    if STATS_FIELDS & set(account_changes):
        ctx.touched_accounts.add(account.pk)
    return UPDATED if account_changes or creator_changes else UNCHANGED


def _create_account(
    ctx: Context,
    platform: str,
    handle: str,
    account_fields: dict[str, Any],
    creator_fields: dict[str, Any],
) -> SocialAccount:
    email = creator_fields.get("email", "")
    creator = ctx.creators_by_email.get(email.lower()) if email else None
    if creator is None:
        shared = {
            k: account_fields[k]
            for k in ("country", "language", "categories")
            if k in account_fields
        }
        name = creator_fields.get("name") or account_fields.get("display_name") or handle
        creator = creator_create(
            workspace=ctx.workspace, by=ctx.by, **{**creator_fields, "name": name}, **shared
        )
    account = social_account_create(
        workspace=ctx.workspace,
        creator=creator,
        by=ctx.by,
        platform=platform,
        handle=handle,
        **account_fields,
    )
    if email:
        ctx.creators_by_email.setdefault(email.lower(), creator)
    return account


# --- posts and comments ----------------------------------------------------------------------

POST_KEYS = {
    "posted_at": "posted_at",
    "caption": "caption",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "views": "views",
    "url": "url",
    "media_type": "media_type",
}
HASHTAG = re.compile(r"#(\w+)")
MENTION = re.compile(r"@([\w.]+\w)")


def _save_checked(instance: Any, *, exclude: list[str]) -> None:
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    instance.save()


def upsert_post_row(ctx: Context, values: dict[str, str]) -> str:
    """One posts-file row: update the post with this id on the account, or create it."""
    data = convert(values, required=("platform", "handle", "post_id"))
    account = ctx.account(data["platform"], data["handle"])
    wanted = {POST_KEYS[k]: v for k, v in data.items() if k in POST_KEYS}
    if "caption" in wanted:
        wanted["hashtags"] = HASHTAG.findall(wanted["caption"])
        wanted["mentions"] = MENTION.findall(wanted["caption"])
    post = ctx.posts.get((account.pk, data["post_id"]))
    outcome = UPDATED
    if post is None:
        if "posted_at" not in wanted:
            raise RowProblems([("posted_at", "A new post needs the date it was posted.")])
        post = Post(workspace=ctx.workspace, account=account, platform_post_id=data["post_id"])
        outcome = CREATED
    changes = _differences(post, wanted) if outcome == UPDATED else wanted
    if not changes:
        return UNCHANGED
    for name, value in changes.items():
        setattr(post, name, value)
    try:
        _save_checked(post, exclude=["workspace", "account"])
    except ValidationError as exc:
        if post.pk is not None:
            post.refresh_from_db()  # a later row of the same post compares with the stored one
        raise problems_from(exc) from exc
    ctx.posts[(account.pk, post.platform_post_id)] = post
    ctx.touched_accounts.add(account.pk)
    return outcome


def upsert_comment_row(ctx: Context, values: dict[str, str]) -> str:
    """One comments-file row: update the comment with this id on the post, or create it."""
    data = convert(values, required=("platform", "handle", "post_id", "comment_id"))
    account = ctx.account(data["platform"], data["handle"])
    post = ctx.posts.get((account.pk, data["post_id"]))
    if post is None:
        raise RowProblems(
            [
                (
                    "post_id",
                    f"No post {data['post_id']} of @{account.handle}; import the posts first.",
                )
            ]
        )
    wanted = {
        name: data[key]
        for key, name in (
            ("text", "text"),
            ("author", "author_handle"),
            ("posted_at", "posted_at"),
            ("likes", "likes"),
        )
        if key in data
    }
    comment = ctx.comments.get((post.pk, data["comment_id"]))
    outcome = UPDATED
    if comment is None:
        if "text" not in wanted:
            raise RowProblems([("text", "A new comment needs its text.")])
        comment = PostComment(workspace=ctx.workspace, post=post, external_id=data["comment_id"])
        outcome = CREATED
    changes = _differences(comment, wanted) if outcome == UPDATED else wanted
    if not changes:
        return UNCHANGED
    for name, value in changes.items():
        setattr(comment, name, value)
    try:
        _save_checked(comment, exclude=["workspace", "post"])
    except ValidationError as exc:
        if comment.pk is not None:
            comment.refresh_from_db()
        raise problems_from(exc, fields={"author_handle": "author"}) from exc
    ctx.comments[(post.pk, comment.external_id)] = comment
    return outcome


UPSERTS: dict[str, Callable[[Context, dict[str, str]], str]] = {
    "creators": upsert_creator_row,
    "posts": upsert_post_row,
    "comments": upsert_comment_row,
}

"""What creator search reads from an account's words: its recent captions (full-text search)
and the embeddings of its bio and captions ("fit to a brief").

- ``account_texts_refresh`` stores each account's newest ``SEARCH_CAPTIONS`` captions, one per
  line, in ``SocialAccount.recent_captions``. Full-text indexes follow that column at once (a
  trigger on SQLite, an expression index on PostgreSQL). Called in the same transaction as the
  post import or sync that changed the captions.
- ``account_embeddings_refresh`` embeds the bio and those captions with MiniLM and stores them
  (``AccountEmbedding``), skipping accounts whose texts did not change (SHA-256 of the texts).
  Slow (about 0.05-0.1 s per text here), so it runs in the ``refresh_account_embeddings`` task
  enqueued after commit (one per workspace and transaction), and ``infludesk embed-accounts``
  backfills.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from infludesk.core.models import Workspace
from infludesk.creators.models import AccountEmbedding, Post, SocialAccount

SEARCH_CAPTIONS = 10
BATCH = 200
EMBED_BATCH = 40  # accounts embedded per model call (up to 11 texts each)
DIMENSIONS = 384


def caption_line(caption: str) -> str:
    """A caption on one line (runs of whitespace, newlines included, become one space)."""
    return " ".join(caption.split())


def captions_of(account: SocialAccount) -> list[str]:
    """The stored recent captions of an account, newest first."""
    return caption_lines(account.recent_captions)


def caption_lines(recent_captions: str) -> list[str]:
    """The captions of a ``recent_captions`` column (one per line, newest first)."""
    return [line for line in recent_captions.split("\n") if line]


def _newest_captions(*, workspace: Workspace, account_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = (
        Post.objects.filter(workspace=workspace, account_id__in=account_ids)
        .exclude(caption="")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("account_id")],
                order_by=[F("posted_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=SEARCH_CAPTIONS)
        .order_by("account_id", "rank")
        .values_list("account_id", "caption")
    )
    by_account: dict[int, list[str]] = defaultdict(list)
    for account_id, caption in rows:
        line = caption_line(caption)
        if line:
            by_account[account_id].append(line)
    return by_account


def account_texts_refresh(*, workspace: Workspace, account_ids: Iterable[int]) -> list[int]:
    """Store the newest captions of these accounts of ``workspace`` (others' ids are ignored);
    returns the ids whose ``recent_captions`` changed. Idempotent; 2 queries per 200 accounts
    plus one update per changed account."""
    ids = sorted(set(account_ids))
    changed: list[int] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        captions = _newest_captions(workspace=workspace, account_ids=chunk)
        stored = SocialAccount.objects.filter(workspace=workspace, pk__in=chunk).values_list(
            "pk", "recent_captions"
        )
        for pk, old in stored:
            new = "\n".join(captions.get(pk, []))
            if new != old:
                SocialAccount.objects.filter(pk=pk).update(recent_captions=new)
                changed.append(pk)
    return changed


class _EmbeddingBatch:
    """The one pending ``refresh_account_embeddings`` enqueue of a workspace in a transaction:
    an on_commit hook whose account ids grow with each ``embeddings_refresh_later`` call."""

    def __init__(self, workspace_id: int, ids: Iterable[int]) -> None:
        self.workspace_id = workspace_id
        self.ids = set(ids)
        self.position = -1  # its index in the connection's run_on_commit, when remembered
        self.ran = False

    def __call__(self) -> None:
        from infludesk.creators.tasks import refresh_account_embeddings  # tasks import services

        self.ran = True
        ids, self.ids = sorted(self.ids), set()
        refresh_account_embeddings.enqueue(workspace_id=self.workspace_id, account_ids=ids)


_BATCHES = "_infludesk_embedding_batches"  # {workspace id: batch} on the connection object


def _still_pending(hooks: Sequence[tuple[object, ...]], batch: _EmbeddingBatch) -> bool:
    """Whether ``batch`` is still among the connection's commit hooks (a rolled back
    transaction or savepoint drops hooks without running them)."""
    if batch.ran:  # run already (commit, or a test's captured callbacks)
        return False
    if 0 <= batch.position < len(hooks) and hooks[batch.position][1] is batch:
        return True
    for position, hook in enumerate(hooks):  # moved: a rolled back savepoint dropped hooks
        if hook[1] is batch:
            batch.position = position
            return True
    return False


def embeddings_refresh_later(*, workspace_id: int, account_ids: Iterable[int]) -> None:
    """Enqueue the embedding refresh of these accounts once the current transaction commits.

    Within one transaction the calls for a workspace share one ``refresh_account_embeddings``
    enqueue (an ``_EmbeddingBatch`` on_commit hook whose ids grow; the task gets them sorted
    and unique), so an import chunk of accounts queues one task, not one per account. Outside
    an atomic block the task is enqueued at once, as on_commit does. A rolled back transaction
    enqueues nothing; ids added inside a savepoint that is rolled back stay in the batch, which
    is harmless (the task skips accounts that are gone or whose texts did not change)."""
    ids = set(account_ids)
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        transaction.on_commit(_EmbeddingBatch(workspace_id, ids))  # runs now
        return
    hooks = connection.run_on_commit
    batches: dict[int, _EmbeddingBatch] | None = getattr(connection, _BATCHES, None)
    if batches is None or not hooks:  # no hook pending: remembered batches ran or rolled back
        batches = {}
        setattr(connection, _BATCHES, batches)
    batch = batches.get(workspace_id)
    if batch is not None and _still_pending(hooks, batch):
        batch.ids |= ids
        return
    batch = _EmbeddingBatch(workspace_id, ids)
    transaction.on_commit(batch)
    hooks = connection.run_on_commit
    batch.position = len(hooks) - 1
    batches[workspace_id] = batch


def account_search_texts_changed(*, workspace: Workspace, account_ids: Iterable[int]) -> None:
    """After posts of these accounts were imported or synced: captions now, embeddings later."""
    ids = sorted(set(account_ids))
    account_texts_refresh(workspace=workspace, account_ids=ids)
    embeddings_refresh_later(workspace_id=workspace.pk, account_ids=ids)


def texts_hash(bio: str, captions: Sequence[str]) -> str:
    """SHA-256 (hex) of the texts an embedding row was made from."""
    raw = json.dumps([bio.strip(), list(captions)], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def vectors_of(row: AccountEmbedding) -> np.ndarray:
    """The stored float16 rows of an embedding, as a (has_bio + caption_count) x 384 array."""
    return np.frombuffer(bytes(row.vectors), dtype=np.float16).reshape(-1, DIMENSIONS)


def account_embeddings_refresh(
    *, workspace: Workspace, account_ids: Iterable[int] | None = None, force: bool = False
) -> int:
    """Embed the bio and recent captions of these accounts of ``workspace`` (all its accounts
    when ``account_ids`` is None) where the texts changed since the stored embedding (every one
    with ``force``). An account with neither bio nor captions has no embedding (its fit is
    unknown). Returns how many embeddings were written or removed. Idempotent."""
    from infludesk.creators import embeddings  # the model is loaded only when needed

    accounts = SocialAccount.objects.filter(workspace=workspace)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=sorted(set(account_ids)))
    ids = list(accounts.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), EMBED_BATCH):
        chunk = ids[start : start + EMBED_BATCH]
        rows = SocialAccount.objects.filter(pk__in=chunk).only("id", "bio", "recent_captions")
        existing = {
            e.account_id: e.text_hash
            for e in AccountEmbedding.objects.filter(account_id__in=chunk).only(
                "account_id", "text_hash"
            )
        }
        todo: list[tuple[SocialAccount, str, list[str], str]] = []
        for account in rows:
            bio, captions = account.bio.strip(), captions_of(account)
            digest = texts_hash(bio, captions)
            if not bio and not captions:
                written += AccountEmbedding.objects.filter(account_id=account.pk).delete()[0]
            elif force or existing.get(account.pk) != digest:
                todo.append((account, bio, captions, digest))
        if not todo:
            continue
        texts = [t for _, bio, captions, _ in todo for t in ([bio] if bio else []) + captions]
        vectors = embeddings.embed(texts).astype(np.float16)
        offset = 0
        with transaction.atomic():
            for account, bio, captions, digest in todo:
                n = int(bool(bio)) + len(captions)
                AccountEmbedding.objects.update_or_create(
                    account=account,
                    defaults={
                        "workspace": workspace,
                        "text_hash": digest,
                        "has_bio": bool(bio),
                        "caption_count": len(captions),
                        "vectors": vectors[offset : offset + n].tobytes(),
                    },
                )
                offset += n
                written += 1
    return written

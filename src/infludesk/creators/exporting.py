"""Export creators' accounts in the import's own columns (CSV or XLSX), so a file exported here
imports back with no changes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from infludesk.core.models import Workspace
from infludesk.creators.importing import CREATOR_TARGETS
from infludesk.creators.selectors import CreatorFilters, creator_list

EXPORT_COLUMNS = [t.key for t in CREATOR_TARGETS]


def export_rows(*, workspace: Workspace, filters: CreatorFilters) -> Iterator[list[str]]:
    """One row per account of the creators matching the filters (only the accounts that match
    the account filters), creators by name; creators without accounts are left out because
    an import row is keyed by its account."""
    creators = creator_list(workspace=workspace, filters=filters).order_by("name", "pk")
    for creator in creators:
        for account in creator.matching_accounts:  # type: ignore[attr-defined]
            yield [
                account.platform,
                account.handle,
                creator.name,
                creator.email,
                account.display_name,
                str(account.followers),
                str(account.following),
                str(account.posts_count),
                account.country,
                account.language,
                "; ".join(account.categories),
                "true" if account.verified else "false",
                account.bio,
                account.url,
                account.external_id,
            ]


def export_csv(*, workspace: Workspace, filters: CreatorFilters) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_rows(workspace=workspace, filters=filters))
    return out.getvalue()


def export_xlsx(*, workspace: Workspace, filters: CreatorFilters) -> bytes:
    """Counts are written as numbers so spreadsheet sums work; everything else as text."""
    import openpyxl  # only needed for spreadsheets
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("creators")
    sheet.append(EXPORT_COLUMNS)
    numeric = {EXPORT_COLUMNS.index(k) for k in ("followers", "following", "posts")}

    def cell(index: int, value: str) -> object:
        if index in numeric:
            return int(value)
        # openpyxl takes a text starting with '=' for a formula: a bio must stay text
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"
        return text

    for row in export_rows(workspace=workspace, filters=filters):
        sheet.append([cell(i, v) for i, v in enumerate(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

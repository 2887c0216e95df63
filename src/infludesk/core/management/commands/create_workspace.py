"""`infludesk create-workspace --name "Acme" --owner admin@example.com`: first setup from a shell.

After `infludesk createsuperuser` a fresh install has a user but no workspace; this makes one
with that user as owner (signed-in users can also create one at /account/workspaces/new/).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.core.models import User
from infludesk.core.services import workspace_create


class Command(BaseCommand):
    help = "Create a workspace owned by an existing user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The brand's name.")
        parser.add_argument("--owner", required=True, help="Email of an existing user.")
        parser.add_argument("--currency", default="USD", help="Three-letter code (USD).")
        parser.add_argument("--time-zone", default="UTC", help="IANA name (UTC).")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = User.objects.filter(email__iexact=options["owner"].strip()).first()
        if owner is None:
            raise CommandError(
                f"No user with email {options['owner']!r}. Create one first: "
                "infludesk createsuperuser"
            )
        try:
            workspace = workspace_create(
                name=options["name"],
                currency=options["currency"],
                time_zone=options["time_zone"],
                owner_user=owner,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Created workspace {workspace.name!r} (slug {workspace.slug}) owned by {owner.email}."
        )

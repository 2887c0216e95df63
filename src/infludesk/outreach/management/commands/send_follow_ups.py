"""infludesk send-follow-ups: send the reminders that are due (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from infludesk.outreach.services import follow_ups_send_due


class Command(BaseCommand):
    help = "Send follow-up reminders on threads awaiting a reply past their follow-up delay."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = follow_ups_send_due()
        self.stdout.write(f"{sent} follow-up(s) sent")

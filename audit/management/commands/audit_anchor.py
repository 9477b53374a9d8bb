import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from audit.anchoring import AnchorRefused, anchor_chain_head


class Command(BaseCommand):
    help = (
        "Append the audit chain's head (last record, its hash, an HMAC) to AUDIT_ANCHOR_FILE, outside the "
        "database; with --every SECONDS, again and again (the supervised process of `make prod`). Fails, "
        "and audits it, when the chain no longer holds the record of the last anchor."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="anchor every SECONDS until stopped")

    def handle(self, *args, every, **options):
        while True:
            try:
                anchor = anchor_chain_head()
            except AnchorRefused as error:
                if not every:
                    raise CommandError(f"not anchored: {error}; run verify_audit") from error
                # Supervised: keep going (each refusal is an audit record), never restart in a loop.
                self.stderr.write(f"not anchored: {error}; run verify_audit")
            else:
                self.stdout.write(f"anchored record {anchor.last_id} at {anchor.at.isoformat()}")
            if not every:
                return
            connections.close_all()  # no idle connection held while it sleeps
            time.sleep(every)

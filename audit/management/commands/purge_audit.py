from django.core.management.base import BaseCommand

from audit.retention import purge_expired, retention_cutoff


class Command(BaseCommand):
    help = (
        "Delete the audit records older than AUDIT_RETENTION_DAYS (at least 180), keeping the chain verifiable "
        "from an anchor. The only way records leave the log."
    )

    def handle(self, *args, **options):
        cutoff = retention_cutoff()
        purge = purge_expired()
        self.stdout.write(f"deleted {purge.deleted} records written before {cutoff.isoformat()}")

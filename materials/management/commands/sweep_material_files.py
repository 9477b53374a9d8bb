import datetime

from django.core.management.base import BaseCommand

from materials.services import sweep_orphan_files


class Command(BaseCommand):
    help = (
        "Delete stored material files that no version points at: what a process killed between storing "
        "an upload and committing it leaves behind. Run it now and then, e.g. daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours", type=float, default=24, help="Only files older than this (default 24 hours)."
        )
        parser.add_argument("--dry-run", action="store_true", help="List the files, delete nothing.")

    def handle(self, *args, older_than_hours, dry_run, **options):
        swept = sweep_orphan_files(older_than=datetime.timedelta(hours=older_than_hours), dry_run=dry_run)
        for name in swept:
            self.stdout.write(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(swept)} orphan files {verb}.")

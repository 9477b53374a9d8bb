import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backups import services


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` (and its .sha256 beside it) into this deployment, which must be "
        "empty: migrated to the archive's release, with no user, organisation, audit record or media file. "
        "Everything is verified before anything changes. Needs the FIELD_ENCRYPTION_KEYS of the backed-up deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        quiet = options["verbosity"] == 0
        # Progress goes to stderr, uncoloured: stdout keeps the one-line result.
        progress = (lambda message: None) if quiet else (lambda message: self.stderr.write(message, style_func=str))
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("restore asks for confirmation: run it at a terminal or pass --yes")
            answer = input(
                f"Restore {path} into the database {connection.settings_dict['NAME']} and the media storage? "
                "Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            result = services.restore_backup(path=path, progress=progress)
        except services.BackupError as error:
            raise CommandError(f"Restore refused: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.tables} tables ({result.rows} rows) and {result.files} files "
                f"({result.file_bytes} bytes) in {result.seconds:.1f} s."
            )
        )

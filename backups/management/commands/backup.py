from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups import services


class Command(BaseCommand):
    help = (
        "Write the whole deployment (every table of the database, every file of the media storage) to one "
        "archive with a checksum beside it (<archive>.sha256). The archive holds sealed personal numbers: "
        "keep FIELD_ENCRYPTION_KEYS with the backups."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="archive to write (.tar, or .tar.gz to compress); default var/backups/backup-<time>.tar.gz",
        )

    def handle(self, *args, output, **options):
        quiet = options["verbosity"] == 0
        # Progress goes to stderr, uncoloured: stdout keeps the one-line result.
        progress = (lambda message: None) if quiet else (lambda message: self.stderr.write(message, style_func=str))
        try:
            result = services.create_backup(output=output or services.default_backup_path(), progress=progress)
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path} ({result.size} bytes, {result.tables} tables, {result.rows} rows, "
                f"{result.files} files of {result.file_bytes} bytes) in {result.seconds:.1f} s."
            )
        )
        self.stdout.write(f"Checksum: {result.checksum_path} (SHA-256 {result.sha256})")

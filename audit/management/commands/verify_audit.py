from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain from its anchor to its head; exit 1 at the first broken link."

    def handle(self, *args, **options):
        def report(done, total):
            self.stdout.write(f"checked {done} of {total}")

        verification = verify_chain(progress=report if options["verbosity"] > 1 else None)
        broken = verification.first_break
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"intact: {verification.checked} records checked"))
            return
        at = broken.at.isoformat() if broken.at else "-"
        raise CommandError(
            f"broken at record {broken.record_id} ({at}): {broken.problem}: {broken.message} "
            f"expected {broken.expected or '-'}, found {broken.found or '-'} "
            f"({verification.checked} records before it are intact)"
        )

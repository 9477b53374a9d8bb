from django.core.management.base import BaseCommand, CommandError

from demo import seeding


class Command(BaseCommand):
    help = "Load the demo province (idempotent) and print the demo logins; --units N adds N synthetic units."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=0, help="add this many synthetic units (bulk inserts)")
        parser.add_argument(
            "--applications", type=int, default=0, help="add this many submitted applications of existing units"
        )
        parser.add_argument(
            "--inspections",
            type=int,
            default=0,
            help="plan this many inspections of existing applications, teams of 3 and 5 with every sheet scored",
        )
        parser.add_argument(
            "--spread-states",
            action="store_true",
            help="spread the synthetic applications over every state of the workflow (set directly, in bulk)",
        )
        parser.add_argument("--named-sites", type=int, default=0, help="name this many scored synthetic applications")
        parser.add_argument("--articles", type=int, default=0, help="add this many experience articles of named sites")

    def handle(self, *args, units, applications, inspections, spread_states, named_sites, articles, **options):
        if min(units, applications, inspections, named_sites, articles) < 0:
            raise CommandError("--units, --applications, --inspections, --named-sites and --articles must be 0 or more")
        if seeding.demo_exists():
            self.stdout.write("Demo data already loaded.")
        else:
            seeding.seed_small_demo()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if units:
            seconds = seeding.seed_synthetic_units(count=units)
            self.stdout.write(self.style.SUCCESS(f"Added {units} synthetic units in {seconds:.1f} s."))
        if applications:
            try:
                seconds = seeding.seed_synthetic_applications(count=applications)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(self.style.SUCCESS(f"Added {applications} applications in {seconds:.1f} s."))
        if inspections:
            from demo.inspections import seed_synthetic_inspections

            try:
                seconds = seed_synthetic_inspections(count=inspections)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(self.style.SUCCESS(f"Added {inspections} inspections in {seconds:.1f} s."))
        if spread_states:
            counts = seeding.spread_synthetic_states()
            self.stdout.write(self.style.SUCCESS(f"Spread the synthetic applications over the states: {counts}."))
        if named_sites:
            from demo.designations import seed_synthetic_designations

            try:
                seconds = seed_synthetic_designations(count=named_sites)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(self.style.SUCCESS(f"Named {named_sites} sites in {seconds:.1f} s."))
        if articles:
            from demo.showcase import seed_synthetic_articles

            try:
                seconds = seed_synthetic_articles(count=articles)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(self.style.SUCCESS(f"Added {articles} experience articles in {seconds:.1f} s."))
        seeding.seed_demo_second_factors()
        self.stdout.write(f"\nDemo logins (password for all: {seeding.DEMO_PASSWORD})")
        for login in seeding.demo_logins():
            second_factor = "  [2FA]" if login.totp_secret else ""
            self.stdout.write(f"  {login.role:<24} {login.username:<16} {login.organisation}{second_factor}")
        self.stdout.write(
            f"\n[2FA] accounts sign in with a second factor: add the TOTP secret {seeding.DEMO_TOTP_SECRET}"
            " to any authenticator app (time-based, 6 digits, 30 s),"
            f" or get the current code with: oathtool --totp -b {seeding.DEMO_TOTP_SECRET}"
        )

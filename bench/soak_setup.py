"""The people of the soak test (`make soak`, bench/soak.py) and what each of them works on.

    soak_setup.py plan --users N --out FILE   sessions and targets for N simulated people

`plan` writes a JSON file: one signed-in session (bench/sessions.py) per simulated person,
and the objects each one writes to, given out so that no two people write to the same row
(a unit's own self-assessment, an inspector's own scoresheets, the applications a staff
member registers or reviews): a real person never races a copy of themselves, and every
acknowledged write must then still be in the database at the end, unchanged by anyone
else. Readers (associations, the public) share their accounts and pages.

What the plan makes first, because the synthetic data set (`seed_demo`) holds list data
only: units get their draft application with its self-assessment rows through
applications.services.start_application, as the unit's own "start" button does. Each run uses applications still in
the state it needs (submitted to register, registered to review); a data set lasts
several runs (`make soak` says when it is used up: delete var/soak-pg.built to rebuild).

Run with the env of the topology loaded (bench/sessions.py says why).
"""

import argparse
import json
import math
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The shares of the simulated people, as bench/soak.py weighs its user classes: units are
# most of the platform's users; the provincial office is a handful of people.
WEIGHTS = {"unit": 60, "inspector": 12, "staff": 5, "association": 8, "public": 15}
# Applications each staff session may register and review in one run.
REGISTER_PER_STAFF = 8
REVIEW_PER_STAFF = 8
PUBLIC_SITES = 200
PUBLIC_ARTICLES = 200
USER_AGENT = "locust (make soak)"


def people_per_kind(users: int) -> dict[str, int]:
    """How many simulated people of each kind `users` gives (rounded up: a spare plan
    entry costs nothing, a missing one would make two people share a unit)."""
    total = sum(WEIGHTS.values())
    return {kind: max(1, math.ceil(users * weight / total)) for kind, weight in WEIGHTS.items()}


def plan(users: int, out: Path) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    from accounts.models import User
    from applications import services as application_services
    from applications.models import Application, State
    from bench.sessions import signed_in_session_key
    from campaigns.selectors import current_campaign
    from core.roles import PROVINCE_ROLES, Role
    from designations.models import Designation, DesignationStatus
    from inspections.models import InspectionStatus, Scoresheet, SheetStatus
    from showcase.models import ExperienceArticle

    counts = people_per_kind(users)
    campaign = current_campaign()
    problems = []

    def session(user) -> str:
        return signed_in_session_key(user, user_agent=USER_AGENT)

    # Units: synthetic operators whose unit has an open draft with its rows (from an
    # earlier run), then ones without an application, started here.
    units = []
    operators = User.objects.filter(role=Role.UNIT, username__startswith="unit", is_active=True).select_related(
        "organisation"
    )
    drafts = (
        Application.objects.filter(campaign=campaign, state=State.DRAFT, indicators__isnull=False)
        .values_list("unit_id", "pk")
        .distinct()
    )
    draft_of = dict(drafts)
    with_draft = operators.filter(organisation_id__in=list(draft_of)).order_by("pk")[: counts["unit"]]
    for user in with_draft:
        units.append({"user": user.pk, "session": session(user), "application": draft_of[user.organisation_id]})
    if len(units) < counts["unit"]:
        fresh = operators.exclude(organisation__applications__campaign=campaign).order_by("pk")
        for user in fresh[: counts["unit"] - len(units)]:
            with transaction.atomic():
                application = application_services.start_application(
                    actor=user, unit=user.organisation, campaign=campaign
                )
            units.append({"user": user.pk, "session": session(user), "application": application.pk})
    if len(units) < counts["unit"]:
        problems.append(f"only {len(units)} units with a draft for {counts['unit']} simulated units")

    # Inspectors: each simulated one is a different expert, with the open sheets of that expert.
    open_sheets = (
        Scoresheet.objects.filter(inspection__status=InspectionStatus.PLANNED, status=SheetStatus.DRAFT)
        .order_by("inspector__user_id", "pk")
        .values_list("inspector__user_id", "pk")
    )
    sheets_of: dict[int, list[int]] = {}
    for user_id, sheet_id in open_sheets:
        sheets_of.setdefault(user_id, []).append(sheet_id)
    inspectors = []
    for user in User.objects.filter(pk__in=list(sheets_of)).order_by("pk")[: counts["inspector"]]:
        inspectors.append({"user": user.pk, "session": session(user), "sheets": sheets_of[user.pk]})
    if len(inspectors) < counts["inspector"]:
        problems.append(f"only {len(inspectors)} experts with an open scoresheet for {counts['inspector']}")

    # Staff: the provincial accounts in turn, each session with applications of its own.
    staff_accounts = list(User.objects.filter(role__in=PROVINCE_ROLES, is_active=True).order_by("pk"))
    to_register = list(
        Application.objects.filter(campaign=campaign, state=State.SUBMITTED)
        .order_by("pk")
        .values_list("pk", flat=True)[: counts["staff"] * REGISTER_PER_STAFF]
    )
    to_review = list(
        Application.objects.filter(campaign=campaign, state=State.REGISTERED)
        .order_by("pk")
        .values_list("pk", flat=True)[: counts["staff"] * REVIEW_PER_STAFF]
    )
    if len(to_register) < counts["staff"] * REGISTER_PER_STAFF or len(to_review) < counts["staff"] * REVIEW_PER_STAFF:
        problems.append(
            f"{len(to_register)} submitted and {len(to_review)} registered applications left for "
            f"{counts['staff']} staff sessions (each registers {REGISTER_PER_STAFF} and reviews {REVIEW_PER_STAFF})"
        )
    staff = []
    for number in range(counts["staff"]):
        user = staff_accounts[number % len(staff_accounts)]
        staff.append(
            {
                "user": user.pk,
                "session": session(user),
                "register": to_register[number :: counts["staff"]],
                "review": to_review[number :: counts["staff"]],
            }
        )

    associations = list(User.objects.filter(role=Role.ASSOCIATION, is_active=True).order_by("pk"))
    association_sessions = [
        {"user": user.pk, "session": session(user)}
        for user in (associations[n % len(associations)] for n in range(counts["association"]))
    ]

    sites = list(
        Designation.objects.filter(status=DesignationStatus.ACTIVE)
        .order_by("-pk")
        .values_list("pk", flat=True)[:PUBLIC_SITES]
    )
    articles = list(
        ExperienceArticle.objects.published().order_by("-pk").values_list("pk", flat=True)[:PUBLIC_ARTICLES]
    )
    result = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "people": counts,
        "unit": units,
        "inspector": inspectors,
        "staff": staff,
        "association": association_sessions,
        "public": {"sites": sites, "articles": articles},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds live sessions
    with os.fdopen(descriptor, "w") as file:
        json.dump(result, file)
    print(
        f"Soak plan for {users} people in {out}: {len(units)} units, {len(inspectors)} inspectors "
        f"({sum(len(i['sheets']) for i in inspectors)} open sheets), {len(staff)} staff "
        f"({len(to_register)} to register, {len(to_review)} to review), {len(association_sessions)} "
        f"association sessions, {len(sites)} named sites and {len(articles)} articles for the public."
    )
    for problem in problems:
        print(f"The data set is used up: {problem}. Delete var/soak-pg.built and run make soak again.")
    return 1 if problems else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["plan"])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.out is None:
        parser.error("plan needs --out FILE")
    return plan(args.users, args.out)


if __name__ == "__main__":
    sys.exit(main())

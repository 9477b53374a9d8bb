"""Every form of the project, given hostile data, answers with errors and never raises.

Forms are found, not listed: every `forms*.py` module (and `forms/` package) of the
project's apps is imported and each Form or ModelForm class it defines is fuzzed. A form
that cannot be built from its data alone needs an entry in CONSTRUCTION (the keyword
arguments its view gives it); a new form without one fails here and says so.
"""

import importlib
import inspect
from pathlib import Path

from django import forms
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from campaigns.models import Campaign, VetoItem
from organisations.models import Kind, Organisation
from tests.core.fuzzing import FUZZ, as_querydict, form_data, wrong_form_data

ROOT = Path(__file__).resolve().parents[2]


def form_classes() -> dict[str, type]:
    """'module.Class' of every form class the project's apps define."""
    found = {}
    for config in apps.get_app_configs():
        folder = Path(config.path)
        if folder.parent != ROOT:
            continue  # Django's and third parties' own apps
        files = sorted(folder.glob("forms*.py")) + sorted(folder.glob("forms/*.py"))
        for file in files:
            name = ".".join((config.name, *file.relative_to(folder).with_suffix("").parts)).removesuffix(".__init__")
            module = importlib.import_module(name)
            for attribute, value in vars(module).items():
                if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == name:
                    found[f"{name}.{attribute}"] = value
    return found


def _request(world):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9")
    request.session = SessionStore()
    request.user = world.province_staff
    return request


def _campaign():
    return Campaign.objects.order_by("pk").first()


def _areas():
    return Organisation.objects.associations()


# The keyword arguments a view builds each form with, beyond its data.
CONSTRUCTION = {
    "accounts.forms.LoginForm": lambda world: {"request": _request(world)},
    "accounts.forms.UserForm": lambda world: {"actor": world.sjz_association, "organisation": world.sjz_unit},
    "accounts.forms.NewUserForm": lambda world: {"actor": world.sjz_association, "organisation": world.sjz_unit},
    "accounts.forms.UnitRegistrationForm": lambda world: {"session": SessionStore()},
    "accounts.forms.OwnPasswordChangeForm": lambda world: {"user": world.sjz_operator},
    "organisations.forms.OrganisationForm": lambda world: {"kinds": list(Kind.values)},
    "applications.forms.ApplicationFilterForm": lambda world: {"areas": _areas()},
    "dashboard.forms.DashboardFilterForm": lambda world: {"campaigns": Campaign.objects.all(), "areas": _areas()},
    "designations.forms.ScoredFilterForm": lambda world: {"areas": _areas()},
    "designations.forms.SiteFilterForm": lambda world: {"areas": _areas()},
    "designations.forms.AnnouncementForm": lambda world: {"campaign": _campaign()},
    "designations.forms_review.DecisionForm": lambda world: {"can_revoke": True},
    "exports.forms.ExportForm": lambda world: {"user": world.sjz_association},
    "inspections.forms.InspectionFilterForm": lambda world: {"areas": _areas()},
    "inspections.forms.VetoForm": lambda world: {"items": VetoItem.objects.all()},
    "materials.forms.EvidenceUploadForm": lambda world: {"campaign": _campaign()},
    "plans.forms.PlanFilterForm": lambda world: {"campaigns": Campaign.objects.all(), "associations": _areas()},
    "reports.forms.RemindForm": lambda world: {"offered": Organisation.objects.units()},
    "showcase.forms.SiteFilterForm": lambda world: {"areas": _areas(), "years": [2025, 2026]},
}

FORMS = form_classes()


def build(name, world, data):
    extra = CONSTRUCTION[name](world) if name in CONSTRUCTION else {}
    return FORMS[name](data=data, **extra)


def check(name, world, data):
    # A savepoint per example: what one example's validation may write (a failed sign-in
    # count) does not reach the next, and a database error would surface here.
    with transaction.atomic():
        form = build(name, world, data)
        form.is_valid()
        transaction.set_rollback(True)


def test_every_form_is_found_and_built(world):
    assert len(FORMS) > 50
    unbuilt = []
    for name in FORMS:
        try:
            build(name, world, {})
        except TypeError as error:
            unbuilt.append((name, str(error)))
    assert unbuilt == [], "give these forms an entry in CONSTRUCTION"


def fuzz_form(name, world, fields):
    @FUZZ
    @given(data=st.one_of(form_data(fields), wrong_form_data(fields)))
    def run(data):
        check(name, world, as_querydict(data))

    run()


def test_every_form_rejects_hostile_posts_without_raising(world):
    """One test over every form (one world, not one per form: the suite stays fast); each
    form gets its own hypothesis run, and every form that raised is listed."""
    failures = []
    for name in sorted(FORMS):
        fields = list(build(name, world, None).fields)

        try:
            fuzz_form(name, world, fields)
        except Exception as error:
            failures.append((name, repr(error), getattr(error, "__notes__", [])))
    assert failures == []

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from core.roles import Role
from designations.models import Designation
from notices.models import Notice
from organisations.models import Kind, Organisation, Sector, Status


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_loads_the_province_its_cities_and_a_unit_of_every_sector(db):
    output = seed()
    assert Organisation.objects.filter(kind=Kind.PROVINCE).count() == 1
    assert Organisation.objects.filter(kind=Kind.CITY).count() == 11
    assert set(Organisation.objects.units().values_list("sector", flat=True)) == set(Sector.values)
    assert Organisation.objects.units().active().count() == 50
    assert list(Organisation.objects.units().pending().values_list("name", flat=True)) == ["长安区谈固街道尚德社区"]
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert "sjz_assoc" in output
    assert "Demo-2026!" in output


def test_seed_demo_paths_follow_the_tree(db):
    seed()
    for organisation in Organisation.objects.select_related("parent"):
        expected = f"{organisation.parent.path if organisation.parent else ''}{organisation.pk}/"
        assert organisation.path == expected


def test_seed_demo_twice_adds_nothing(db):
    seed()
    counts = (Organisation.objects.count(), User.objects.count(), Notice.objects.count())
    output = seed()
    assert (Organisation.objects.count(), User.objects.count(), Notice.objects.count()) == counts
    assert "Demo data already loaded." in output


def test_seed_demo_units_adds_synthetic_units_inside_the_associations_scopes(db):
    seed()
    seed("--units", "300")
    assert Organisation.objects.units().count() == 351
    assert User.objects.filter(role=Role.UNIT).count() == 302
    association = User.objects.get(username="sjz_assoc")
    visible = Organisation.objects.visible_to(association)
    assert all(o.path.startswith(association.organisation.path) for o in visible)
    assert visible.units().count() > 11
    synthetic = Organisation.objects.units().latest("pk")
    assert synthetic.name.endswith(f"示范创建单位{synthetic.pk}号")
    assert (synthetic.status, synthetic.path) == (Status.ACTIVE, f"{synthetic.parent.path}{synthetic.pk}/")
    # Keys were given by hand: a new organisation must still get a fresh one.
    fresh = Organisation.objects.create(name="新单位", kind=Kind.UNIT, sector=Sector.SCHOOL, parent=synthetic.parent)
    assert fresh.pk > synthetic.pk


def test_seed_demo_names_a_few_sites_for_the_showcase(db):
    seed()
    seed()
    numbers = list(Designation.objects.order_by("serial").values_list("certificate_number", flat=True))
    assert numbers[:2] == ["冀人文心理示范〔2025〕第001号", "冀人文心理示范〔2025〕第002号"]
    assert len(numbers) == 6


def test_seed_demo_gives_the_city_association_a_submitted_report_and_a_draft(db):
    from reports.models import ProgressReport

    seed()
    states = sorted(ProgressReport.objects.filter(association__name="石家庄市").values_list("state", flat=True))
    assert states == ["draft", "submitted"]


def test_seed_demo_enrols_the_province_and_it_accounts_with_the_printed_totp_secret(db):
    import pyotp

    from demo.seeding import DEMO_TOTP_SECRET
    from twofactor.models import TOTPDevice
    from twofactor.services import matching_step

    output = seed()
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
    assert enrolled == {"sheng_admin", "sheng_staff", "sys_admin", "sec_admin", "audit_admin"}
    assert f"oathtool --totp -b {DEMO_TOTP_SECRET}" in output
    marked = [line for line in output.splitlines() if line.endswith("[2FA]")]
    demo_users = ["sheng_admin", "sheng_staff", "sjz_assoc", "sjz_yizhong", "expert_demo", "sys_admin", "sec_admin"]
    assert [name for name in demo_users if any(f" {name} " in line for line in marked)] == [
        "sheng_admin",
        "sheng_staff",
        "sys_admin",
        "sec_admin",
    ]
    assert len(marked) == 5
    device = TOTPDevice.objects.get(user__username="sec_admin")
    assert matching_step(device, pyotp.TOTP(DEMO_TOTP_SECRET).now()) is not None


def test_seed_demo_enrols_demo_data_loaded_before_two_factor_sign_in(db):
    from twofactor.models import TOTPDevice

    seed()
    TOTPDevice.objects.all().delete()
    seed()
    seed()
    assert TOTPDevice.objects.count() == 5

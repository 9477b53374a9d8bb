"""Naming under load and under failure, outside a wrapping test transaction: two
announcements at the same moment share the campaign's counter without a duplicate or a
gap, and an announcement that fails half-way leaves nothing behind."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from applications.models import Application, State
from audit.models import AuditRecord
from designations.models import CertificateCounter, Designation, NamingAnnouncement
from designations.services.naming import announce_naming
from notices.models import Notice
from tests.designations import factories

NAMED_ON = datetime.date(2026, 11, 20)


def _announce(world, applications, doc_number, *, issuer="河北省思想政治工作研究会"):
    return announce_naming(
        actor=world.province_admin,
        campaign=applications[0].campaign,
        applications=applications,
        title="关于命名河北省人文关怀心理疏导示范点的决定",
        doc_number=doc_number,
        issued_on=NAMED_ON,
        issuer=issuer,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are what is tested: PostgreSQL pass")
@pytest.mark.django_db(transaction=True)
def test_two_announcements_at_the_same_moment_get_unique_gap_free_numbers(seeded_campaign, world):
    scored = [factories.scored_elsewhere(world, f"并发命名单位{index}") for index in range(6)]
    barrier = threading.Barrier(2)
    errors = []

    def announce(batch, doc_number):
        try:
            barrier.wait(timeout=10)
            for index, application in enumerate(batch):
                _announce(world, [application], f"{doc_number}-{index}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=announce, args=(scored[0::2], "冀研字〔2026〕甲")),
        threading.Thread(target=announce, args=(scored[1::2], "冀研字〔2026〕乙")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(Designation.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert CertificateCounter.objects.get(year=NAMED_ON.year).last_serial == 6


@pytest.mark.django_db(transaction=True)
def test_an_announcement_failing_half_way_leaves_nothing_behind(seeded_campaign, world):
    application = factories.scored(world)
    audited = AuditRecord.objects.count()
    # The announcement takes an issuer of 200 characters, the notice published with it
    # 100: the failure comes after the designations and the state change were written.
    with pytest.raises(ValidationError):
        _announce(world, [application], "冀研字〔2026〕30号", issuer="河北省思想政治工作研究会" * 12)
    assert Application.objects.get(pk=application.pk).state == State.SCORED
    assert (Designation.objects.count(), NamingAnnouncement.objects.count(), Notice.objects.count()) == (0, 0, 0)
    assert CertificateCounter.objects.filter(last_serial__gt=0).count() == 0
    assert AuditRecord.objects.count() == audited
    # and the next announcement starts at number 1
    assert _announce(world, [application], "冀研字〔2026〕31号").designations.get().serial == 1

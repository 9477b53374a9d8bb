"""The signed-in user is loaded with its organisation in the same query
(accounts.backends.AccountBackend), which every signed-in page shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import AccountBackend


def test_signed_in_user_comes_with_its_organisation_in_one_query(world):
    with CaptureQueriesContext(connection) as queries:
        user = AccountBackend().get_user(world.sjz_operator.pk)
        name = user.organisation.name
    assert (len(queries), name) == (1, world.sjz_unit.name)


def test_signed_in_user_who_may_no_longer_sign_in_is_not_loaded(world):
    world.sjz_operator.is_active = False
    world.sjz_operator.save(update_fields=["is_active"])
    assert AccountBackend().get_user(world.sjz_operator.pk) is None
    assert AccountBackend().get_user(987654321) is None


def test_signed_in_page_names_the_organisation_without_asking_for_it_again(world, client_for):
    client = client_for(world.sjz_operator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert world.sjz_unit.name in page
    organisation_reads = [
        q for q in queries if 'FROM "organisations_organisation"' in q["sql"] and "LIMIT 21" in q["sql"]
    ]
    assert organisation_reads == []

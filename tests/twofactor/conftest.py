import pytest
from django.test import Client


@pytest.fixture
def unverified_client():
    """A client signed in with the password only: the second factor is still to do.
    (Only under @pytest.mark.real_second_factor; elsewhere force_login verifies.)"""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make

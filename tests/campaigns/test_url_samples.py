from django.urls import get_resolver, reverse

from tests.campaigns.url_samples import samples


def app_url_names() -> set[str]:
    _namespace, resolver = get_resolver().namespace_dict["campaigns"]
    return {f"campaigns:{name}" for name in resolver.reverse_dict if isinstance(name, str)}


def test_url_samples_cover_every_url_name_of_the_app(world):
    kwargs = samples(world)
    assert set(kwargs) == app_url_names()
    for name, values in kwargs.items():
        assert reverse(name, kwargs=values).startswith("/campaigns/")

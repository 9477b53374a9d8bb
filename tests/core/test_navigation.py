from core.navigation import menu_for


def active_items(user, path):
    return [item["name"] for item in menu_for(user, path) if item["active"]]


def test_the_longest_matching_menu_item_is_the_only_active_one(world):
    assert active_items(world.sjz_association, "/organisations/registrations/") == ["organisations:registrations"]
    assert active_items(world.sjz_association, "/organisations/5/") == ["organisations:list"]


def test_home_is_active_only_on_the_home_page(world):
    assert active_items(world.sjz_association, "/") == ["core:home"]
    assert active_items(world.sjz_association, "/notices/") == ["notices:list"]


def test_menu_addresses_follow_the_address_prefix(world):
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    set_script_prefix("/platform/")
    try:
        urls = [item["url"] for item in menu_for(world.sjz_association, "/platform/")]
    finally:
        set_script_prefix(before)
    assert urls
    assert all(url.startswith("/platform/") for url in urls)
    assert all(not item["url"].startswith("/platform/") for item in menu_for(world.sjz_association, "/"))

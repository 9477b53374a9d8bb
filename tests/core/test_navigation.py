from core.navigation import menu_for


def active_items(user, path):
    return [item["name"] for item in menu_for(user, path) if item["active"]]


def test_the_longest_matching_menu_item_is_the_only_active_one(world):
    assert active_items(world.sjz_association, "/organisations/registrations/") == ["organisations:registrations"]
    assert active_items(world.sjz_association, "/organisations/5/") == ["organisations:list"]


def test_home_is_active_only_on_the_home_page(world):
    assert active_items(world.sjz_association, "/") == ["core:home"]
    assert active_items(world.sjz_association, "/notices/") == ["notices:list"]

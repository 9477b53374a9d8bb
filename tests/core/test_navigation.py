from core.navigation import menu_for


def active_items(user, path):
    return [item["name"] for item in menu_for(user, path) if item["active"]]


def test_the_longest_matching_menu_item_is_the_only_active_one(world):
    assert active_items(world.sjz_association, "/organisations/registrations/") == ["organisations:registrations"]
    assert active_items(world.sjz_association, "/organisations/5/") == ["organisations:list"]


def test_home_is_active_only_on_the_home_page(world):
    assert active_items(world.sjz_association, "/") == ["home:index"]
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


def test_each_roles_menu_is_grouped_with_no_label_twice(world):
    from django.utils import translation

    from core.navigation import grouped
    from core.roles import Role

    for role in Role.values:
        with translation.override("zh-hans"):
            bar = grouped(menu_for(world.user_of(role), "/"))
            labels = [str(entry["label"]) for entry in bar]
            labels += [str(item["label"]) for entry in bar for item in entry.get("children", [])]
        assert len(labels) == len(set(labels)), (role, labels)
        assert len(bar) <= 8, (role, labels)
        assert all(len(entry["children"]) > 1 for entry in bar if "children" in entry)
    staff = grouped(menu_for(world.province_staff, "/applications/inbox/"))
    assert [str(entry["label"]) for entry in staff if entry["active"]] == ["创建申报"]

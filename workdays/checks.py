from django.core import checks
from django.db import DatabaseError


# A database check: run by `migrate` and `check --database default` (make prod's), not by
# every management command and runserver start.
@checks.register(checks.Tags.database)
def check_holiday_arrangements(app_configs, today=None, **kwargs):
    """Say, as information (it never stops a start-up: the platform counts Monday to
    Friday meanwhile), which years' holiday arrangements are missing and due: this year,
    and from 1 November the next. An administrator enters them on the calendar page."""
    from workdays.selectors import years_to_enter

    try:
        missing = years_to_enter(today)
    except DatabaseError:
        return []  # not migrated yet (the check runs before `migrate` too): nothing to tell
    if not missing:
        return []
    years = "、".join(map(str, missing))
    return [
        checks.Info(
            f"No holiday arrangement for {years}: neither the installed chinesecalendar package nor the "
            "province's own calendar has it, so working days there are counted Monday to Friday.",
            hint="A provincial or system administrator enters the State Council's arrangement on the platform's "
            "working-day calendar page (/workdays/), or a newer chinesecalendar release is pinned.",
            id="workdays.I001",
        )
    ]

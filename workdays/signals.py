"""Rows written outside the services (Django's admin does not list them, but a shell or
a data migration may) still make every process read the calendar again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workdays.models import HolidayDay, HolidayYear


@receiver([post_save, post_delete], sender=HolidayYear)
@receiver([post_save, post_delete], sender=HolidayDay)
def forget_calendar(**kwargs):
    from django.db import transaction

    from workdays import calendar

    calendar.forget()
    transaction.on_commit(calendar.forget)

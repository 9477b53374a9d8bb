"""Rows that are records of what happened (a submitted snapshot, a random draw, a team's
result, a file's version, an audit record): inserted once and never rewritten, whoever
calls save()."""

from django.db import models


class WrittenOnce(models.Model):
    """save() inserts a new row and refuses every later save of it with
    `rewrite_error(rewrite_message)`; the subclass names both, for its callers' sake."""

    rewrite_error: type[Exception] = ValueError
    rewrite_message = "This record cannot be changed."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A new instance given an existing row's key would update that row: refused too.
        if self.pk is not None or not self._state.adding:
            raise self.rewrite_error(self.rewrite_message)
        super().save(*args, **kwargs)

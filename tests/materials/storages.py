"""Storages that fail on purpose: the boundary where a disk fills up or a network drops."""

import os

from django.core.files.storage import FileSystemStorage


class FailingStorage(FileSystemStorage):
    """Saves normally until the save numbered `fail_on` (1-based), which writes part of
    the file, as a full disk would, and raises."""

    fail_on = 1
    saves = 0

    def _save(self, name, content):
        type(self).saves += 1
        if type(self).saves == self.fail_on:
            path = self.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as partial:
                partial.write(content.read(4))
            raise OSError("No space left on device")
        return super()._save(name, content)

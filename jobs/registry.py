"""What kinds of background job exist. Each app declares its own in `<app>/jobs.py`
(found at start-up by JobsConfig.ready) with `@job_kind(...)` on its handler:

    @job_kind("imports.units", label=_("Import units"), result_template="imports/includes/result.html")
    def import_units(job: Job, progress: Progress) -> None: ...

A handler reads `job.params` and `job.input_file`, reports how far it has got through
`progress`, fills `job.result` (a JSON summary) and, when it makes a file,
`job.result_file` / `job.result_name`; the runner saves them. It raises JobError with a
message for the user when the work cannot be done as asked.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


class JobError(Exception):
    """The job cannot be done as asked; the message is shown to the user as it is."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    handler: Callable
    result_template: str = ""
    # May the job run again from the start when its worker is lost half-way? True for work
    # that only reads (checks, exports); an import has committed part of its rows by then.
    rerun_when_interrupted: bool = True


_KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, label, result_template: str = "", rerun_when_interrupted: bool = True):
    def decorator(handler):
        _KINDS[name] = JobKind(
            name=name,
            label=label,
            handler=handler,
            result_template=result_template,
            rerun_when_interrupted=rerun_when_interrupted,
        )
        return handler

    return decorator


def kind_of(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise JobError(_("This kind of job is no longer known to the platform.")) from None


def find_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def label_of(name: str) -> str:
    kind = _KINDS.get(name)
    # The lazy label itself: a page, or a notification for its recipient, renders it in
    # the reader's language.
    return kind.label if kind else name


def known_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)

"""Kinds of job that exist only for the tests of the job machinery."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jobs.registry import JobError, job_kind
from jobs.services import result_path


@job_kind("tests.count", label="Count")
def count(job, progress):
    total = int(job.params["n"])
    progress.stage("counting", total=total)
    for done in range(1, total + 1):
        progress.advance(done)
    job.result = {"counted": total}
    job.result_file = default_storage.save(result_path(job, ".txt"), ContentFile(str(total).encode()))
    job.result_name = "count.txt"


@job_kind("tests.refuse", label="Refuse")
def refuse(job, progress):
    raise JobError("这个文件无法读取。")


@job_kind("tests.crash", label="Crash")
def crash(job, progress):
    raise RuntimeError("a bug")

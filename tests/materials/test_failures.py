"""A failed or interrupted upload leaves no half record and no orphan file."""

import pytest
from django.db import DatabaseError, connection

from materials import services
from materials.models import Kind, Material, MaterialVersion
from tests.materials import factories
from tests.materials.conftest import stored_files
from tests.materials.factories import campaign, make_material, upload
from tests.materials.storages import FailingStorage


class Interrupted(BaseException):
    """What a worker's shutdown or a dropped connection raises: not an Exception."""


def failing_insert(table: str, error: BaseException):
    def wrapper(execute, sql, params, many, context):
        if sql.startswith(f'INSERT INTO "{table}"'):
            raise error
        return execute(sql, params, many, context)

    return wrapper


def assert_nothing_stored(media_root):
    assert (Material.objects.count(), MaterialVersion.objects.count(), stored_files(media_root)) == (0, 0, [])


def upload_as(operator, file):
    return services.upload_material(
        actor=operator, unit=operator.organisation, campaign=campaign(), kind=Kind.SUPPORTING, file=file
    )


@pytest.mark.parametrize("error", [DatabaseError("connection lost"), Interrupted()])
@pytest.mark.parametrize("content", [factories.PDF, factories.JPEG])
def test_failures_in_the_database_delete_the_stored_files(world, media_root, error, content):
    name = "照片.jpg" if content == factories.JPEG else "总结.pdf"
    with (
        connection.execute_wrapper(failing_insert("materials_materialversion", error)),
        pytest.raises(type(error)),
    ):
        upload_as(world.sjz_operator, upload(name, content))
    assert_nothing_stored(media_root)


def test_failures_in_the_audit_record_undo_everything(world, media_root):
    with (
        connection.execute_wrapper(failing_insert("audit_auditrecord", DatabaseError("audit down"))),
        pytest.raises(DatabaseError),
    ):
        upload_as(world.sjz_operator, upload("总结.pdf", factories.PDF))
    assert_nothing_stored(media_root)


@pytest.mark.parametrize(
    ("fail_on", "name", "content"), [(1, "总结.pdf", factories.PDF), (2, "照片.jpg", factories.JPEG)]
)
def test_failures_of_the_storage_delete_what_was_written(world, settings, media_root, fail_on, name, content):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.materials.storages.FailingStorage"},
    }
    FailingStorage.fail_on, FailingStorage.saves = fail_on, 0
    with pytest.raises(OSError, match="No space left"):
        upload_as(world.sjz_operator, upload(name, content))
    assert_nothing_stored(media_root)


def test_failures_of_a_replacement_keep_the_earlier_version(world, media_root):
    material = make_material(operator=world.sjz_operator)
    before = stored_files(media_root)
    with (
        connection.execute_wrapper(failing_insert("materials_materialversion", DatabaseError("lost"))),
        pytest.raises(DatabaseError),
    ):
        services.replace_material(actor=world.sjz_operator, material=material, file=upload("新版.pdf", factories.PDF))
    material.refresh_from_db()
    assert (material.versions.count(), material.current_version.number) == (1, 1)
    assert stored_files(media_root) == before

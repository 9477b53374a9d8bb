from django.urls import reverse

from notices.models import State, Visibility
from tests.notices import factories
from tests.notices.factories import make_notice, upload


def download_url(notice):
    return reverse("notices:attachment-download", kwargs={"pk": notice.attachments.get().pk})


def status_of(client, url) -> int:
    """The status of a download, with the streamed file read to its end.

    Reading it through lets the test client close the file with request_finished kept
    away from the database; a bare response.close() would close PostgreSQL's test
    connection in the middle of the test."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def test_downloads_stream_the_file_under_its_chinese_name(world, client):
    notice = make_notice(author=world.province_staff, files=[upload("量化评价细则（试行）.pdf", factories.PDF)])
    response = client.get(download_url(notice))
    assert response.status_code == 200
    assert response.streaming is True
    assert b"".join(response.streaming_content) == factories.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%87%8F%E5%8C%96%E8%AF%84%E4%BB%B7%E7%BB%86%E5%88%99"
        "%EF%BC%88%E8%AF%95%E8%A1%8C%EF%BC%89.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"


def test_downloads_anonymous_gets_404_for_an_internal_notice(world, client, client_for):
    notice = make_notice(
        author=world.province_staff, visibility=Visibility.INTERNAL, files=[upload("内部.pdf", factories.PDF)]
    )
    assert status_of(client, download_url(notice)) == 404
    assert status_of(client_for(world.sjz_operator), download_url(notice)) == 200


def test_downloads_unit_operator_gets_404_for_a_draft(world, client_for):
    notice = make_notice(author=world.province_staff, state=State.DRAFT, files=[upload("草稿.pdf", factories.PDF)])
    assert status_of(client_for(world.sjz_operator), download_url(notice)) == 404
    assert status_of(client_for(world.province_staff), download_url(notice)) == 200


def test_downloads_withdrawn_notice_files_are_gone_for_readers(world, client, client_for):
    notice = make_notice(author=world.province_staff, state=State.WITHDRAWN, files=[upload("撤回.pdf", factories.PDF)])
    assert status_of(client, download_url(notice)) == 404
    assert status_of(client_for(world.ts_association), download_url(notice)) == 404


def test_downloads_missing_file_answers_404(world, client, media_root):
    notice = make_notice(author=world.province_staff, files=[upload("丢失.pdf", factories.PDF)])
    (media_root / notice.attachments.get().file.name).unlink()
    assert status_of(client, download_url(notice)) == 404


def test_downloads_unknown_attachment_answers_404(client, db):
    assert status_of(client, reverse("notices:attachment-download", kwargs={"pk": 999999})) == 404

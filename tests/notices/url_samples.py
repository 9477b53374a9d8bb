from notices.models import Attachment, Visibility
from tests.notices.factories import make_notice


def samples(world) -> dict[str, dict]:
    """A published public notice with one attachment stands behind every URL with a key.
    The attachment's file is never written (the walk must not touch the real media
    folder): its download answers 404 to whoever may see the notice."""
    notice = make_notice(author=world.province_staff, visibility=Visibility.PUBLIC)
    attachment = Attachment.objects.create(
        notice=notice,
        file="notices/attachments/00000000000000000000000000000000.pdf",
        original_name="示例.pdf",
        content_type="application/pdf",
        size=0,
        uploaded_by=world.province_staff,
    )
    return {
        "notices:list": {},
        "notices:create": {},
        "notices:mark-all-read": {},
        "notices:detail": {"pk": notice.pk},
        "notices:edit": {"pk": notice.pk},
        "notices:publish": {"pk": notice.pk},
        "notices:withdraw": {"pk": notice.pk},
        "notices:attachment-download": {"pk": attachment.pk},
        "notices:attachment-remove": {"pk": attachment.pk},
        "notices:contact": {},
        "notices:contact-edit": {},
    }

from core.roles import PROVINCE_ROLES, Role
from notices.models import Attachment, State, Visibility
from tests.core.scope import ANONYMOUS, EVERY_OBJECT
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
        "notices:read": {"pk": notice.pk},
        "notices:contact": {},
        "notices:contact-edit": {},
    }


def _attach(notice, author):
    return Attachment.objects.create(
        notice=notice,
        file="notices/attachments/00000000000000000000000000000002.pdf",
        original_name="内部.pdf",
        content_type="application/pdf",
        size=0,
        uploaded_by=author,
    )


def out_of_scope_samples(world) -> dict[str, dict]:
    """A visitor without login reads published public notices only; every signed-in
    role but the province reads published notices only; the province writes them all."""
    internal = make_notice(author=world.province_staff, visibility=Visibility.INTERNAL)
    draft = make_notice(author=world.province_staff, state=State.DRAFT)
    others = [role for role in Role.values if role not in PROVINCE_ROLES]
    province = dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT)

    def reading(internal_pk, draft_pk):
        return {ANONYMOUS: {"pk": internal_pk}, **{role: {"pk": draft_pk} for role in others}, **province}

    return {
        "notices:detail": reading(internal.pk, draft.pk),
        "notices:read": {role: {"pk": draft.pk} for role in others} | province,
        "notices:attachment-download": reading(
            _attach(internal, world.province_staff).pk, _attach(draft, world.province_staff).pk
        ),
        "notices:edit": province,
        "notices:publish": province,
        "notices:withdraw": province,
        "notices:attachment-remove": province,
    }

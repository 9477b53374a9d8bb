from core.roles import PROVINCE_ROLES, Role
from tests.core.scope import ANONYMOUS, EVERY_OBJECT
from tests.showcase import factories


def samples(world) -> dict[str, dict]:
    """A named site of a unit of its own (the world's units have applications of other
    tests' samples under way), with a published article and its photo."""
    _unit, operator = factories.new_unit(world, name="样本社区")
    site = factories.site_of(world, operator)
    article = factories.published(site, staff=world.province_staff, photos=1)
    photo = article.photos.get()
    return {
        "showcase:home": {},
        "showcase:sites": {},
        "showcase:site": {"pk": site.pk},
        "showcase:verify": {},
        "showcase:articles": {},
        "showcase:article": {"pk": article.pk},
        "showcase:photo": {"pk": photo.pk},
        "showcase:photo-thumbnail": {"pk": photo.pk},
        "showcase:articles-mine": {},
        "showcase:articles-review": {},
        "showcase:article-create": {"designation_pk": site.pk},
        "showcase:article-detail": {"pk": article.pk},
        "showcase:article-edit": {"pk": article.pk},
        "showcase:article-photo-add": {"pk": article.pk},
        "showcase:article-submit": {"pk": article.pk},
        "showcase:article-publish": {"pk": article.pk},
        "showcase:article-unpublish": {"pk": article.pk},
        "showcase:article-return": {"pk": article.pk},
        "showcase:article-feature": {"pk": article.pk},
        "showcase:article-unfeature": {"pk": article.pk},
        "showcase:article-photo-edit": {"pk": photo.pk},
        "showcase:article-photo-remove": {"pk": photo.pk},
    }


def out_of_scope_samples(world) -> dict[str, dict]:
    """A 唐山 site whose title was revoked, with a draft article and its photo: nobody
    reads the site, the article or the photo in public; inside the platform the article
    is its own unit's and the province's only."""
    _unit, operator = factories.new_unit(world, name="唐山样本社区", parent=world.tangshan)
    site = factories.site_of(world, operator)
    article = factories.draft(site)
    photo = factories.photo(article)
    factories.revoke(world, site)
    everyone = (ANONYMOUS, *Role.values)
    province = dict.fromkeys(PROVINCE_ROLES, EVERY_OBJECT)
    public_photo = {**{role: {"pk": photo.pk} for role in everyone}, **province}
    own = {**province, Role.UNIT: {"pk": article.pk}}
    return {
        "showcase:site": {role: {"pk": site.pk} for role in everyone},
        "showcase:article": {role: {"pk": article.pk} for role in everyone},
        "showcase:photo": public_photo,
        "showcase:photo-thumbnail": public_photo,
        "showcase:article-create": {Role.UNIT: {"designation_pk": site.pk}},
        "showcase:article-detail": own,
        "showcase:article-edit": own,
        "showcase:article-photo-add": own,
        "showcase:article-submit": {Role.UNIT: {"pk": article.pk}},
        "showcase:article-publish": province,
        "showcase:article-unpublish": province,
        "showcase:article-return": province,
        "showcase:article-feature": province,
        "showcase:article-unfeature": province,
        "showcase:article-photo-edit": {**province, Role.UNIT: {"pk": photo.pk}},
        "showcase:article-photo-remove": {**province, Role.UNIT: {"pk": photo.pk}},
    }

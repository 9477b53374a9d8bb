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

from django.urls import path

from showcase.views import articles, public

app_name = "showcase"
urlpatterns = [
    # The public showcase, without login.
    path("", public.home, name="home"),
    path("sites/", public.site_list, name="sites"),
    path("sites/<int:pk>/", public.site_detail, name="site"),
    # The QR code of a certificate opens this address (designations.certificate builds it).
    path("verify/", public.verify, name="verify"),
    path("articles/", public.article_list, name="articles"),
    path("articles/<int:pk>/", public.article_detail, name="article"),
    path("photos/<int:pk>/", public.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", public.photo_thumbnail, name="photo-thumbnail"),
    # Writing and reviewing experience articles, signed in.
    path("manage/articles/", articles.mine, name="articles-mine"),
    path("manage/review/", articles.review_list, name="articles-review"),
    path("manage/sites/<int:designation_pk>/articles/new/", articles.create, name="article-create"),
    path("manage/articles/<int:pk>/", articles.detail, name="article-detail"),
    path("manage/articles/<int:pk>/edit/", articles.edit, name="article-edit"),
    path("manage/articles/<int:pk>/photos/", articles.photo_add, name="article-photo-add"),
    path("manage/articles/<int:pk>/submit/", articles.submit, name="article-submit"),
    path("manage/articles/<int:pk>/publish/", articles.publish, name="article-publish"),
    path("manage/articles/<int:pk>/unpublish/", articles.unpublish, name="article-unpublish"),
    path("manage/articles/<int:pk>/return/", articles.return_to_unit, name="article-return"),
    path("manage/articles/<int:pk>/feature/", articles.feature, name="article-feature"),
    path("manage/articles/<int:pk>/unfeature/", articles.unfeature, name="article-unfeature"),
    path("manage/photos/<int:pk>/", articles.photo_edit, name="article-photo-edit"),
    path("manage/photos/<int:pk>/remove/", articles.photo_remove, name="article-photo-remove"),
]

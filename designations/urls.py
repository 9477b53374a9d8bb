from django.urls import include, path

from designations.views import naming

app_name = "designations"
urlpatterns = [
    path("naming/", naming.scored_list, name="scored"),
    path("naming/announce/", naming.announce, name="announce"),
    path("naming/<int:application_pk>/decline/", naming.decline, name="decline"),
    path("announcements/", naming.announcement_list, name="announcements"),
    path("announcements/<int:pk>/", naming.announcement_detail, name="announcement"),
    path("sites/", naming.site_list, name="sites"),
    path("sites/<int:pk>/", naming.site_detail, name="site"),
    path("", include("designations.certificate_urls")),
    path("review/", include("designations.review_urls")),
]

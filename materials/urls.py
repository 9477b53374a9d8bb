from django.urls import path

from materials import views

app_name = "materials"
urlpatterns = [
    path("", views.my_materials, name="mine"),
    path("upload/", views.material_upload, name="upload"),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/upload/", views.evidence_upload, name="evidence-upload"),
    path("<int:pk>/", views.material_detail, name="detail"),
    path("<int:pk>/replace/", views.material_replace, name="replace"),
    path("<int:pk>/remove/", views.material_remove, name="remove"),
    path("versions/<int:pk>/download/", views.version_download, name="version-download"),
    path("versions/<int:pk>/preview/", views.version_preview, name="version-preview"),
    path("versions/<int:pk>/thumbnail/", views.version_thumbnail, name="version-thumbnail"),
    path("versions/<int:pk>/page.png", views.version_page, name="version-page"),
]

"""URLs of the expert pool. Included by inspections/urls.py under "experts/", inside the
"inspections" namespace: no app_name here."""

from django.urls import path

from inspections.views import pool as views

urlpatterns = [
    path("", views.expert_list, name="expert-list"),
    path("new/", views.expert_create, name="expert-create"),
    path("import/", views.expert_import, name="expert-import"),
    path("export/", views.expert_export, name="expert-export"),
    path("template/", views.expert_template, name="expert-template"),
    path("<int:pk>/", views.expert_edit, name="expert-edit"),
    path("<int:pk>/active/", views.expert_toggle, name="expert-toggle"),
    path("<int:pk>/login/", views.expert_login, name="expert-login"),
    path("<int:pk>/conflicts/", views.expert_conflict_add, name="expert-conflict-add"),
    path("<int:pk>/conflicts/<int:conflict_pk>/remove/", views.expert_conflict_remove, name="expert-conflict-remove"),
]

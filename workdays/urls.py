from django.urls import path

from workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.year_list, name="year-list"),
    path("<int:year>/", views.year_detail, name="year-detail"),
    path("<int:year>/edit/", views.year_edit, name="year-edit"),
    path("<int:year>/upload/", views.year_upload, name="year-upload"),
    path("<int:year>/delete/", views.year_delete, name="year-delete"),
    path("<int:year>/template.xlsx", views.template, name="template"),
]

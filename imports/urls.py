from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("<slug:kind>/", views.import_upload, name="upload"),
    path("<slug:kind>/template/", views.import_template, name="template"),
    path("checks/<int:pk>/import/", views.import_confirm, name="confirm"),
]

from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.record_list, name="record-list"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("export/", views.record_export, name="record-export"),
    path("verify/", views.verify, name="verify"),
]

from django.urls import path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("mine/", views.my_organisation, name="mine"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:parent_pk>/new/", views.organisation_create, name="create"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/<int:pk>/approve/", views.registration_approve, name="registration-approve"),
    path("registrations/<int:pk>/refuse/", views.registration_refuse, name="registration-refuse"),
]

from django.urls import path

from twofactor import views

app_name = "twofactor"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("enrol/", views.enrol, name="enrol"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.regenerate_codes, name="recovery-codes"),
    path("disable/", views.disable, name="disable"),
    path("users/", views.user_list, name="user-list"),
    path("users/<int:pk>/reset/", views.user_reset, name="user-reset"),
]

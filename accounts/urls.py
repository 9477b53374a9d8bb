from django.urls import path

from accounts import grant_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("password/done/", views.password_change_done, name="password-change-done"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register-done"),
    path("users/", views.user_list, name="user-list"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user-set-active"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user-password-reset"),
    path("organisations/<int:organisation_pk>/users/new/", views.user_create, name="user-create"),
    path("privileged-changes/", grant_views.grant_list, name="grant-list"),
    path("privileged-changes/<int:pk>/approve/", grant_views.grant_approve, name="grant-approve"),
    path("privileged-changes/<int:pk>/reject/", grant_views.grant_reject, name="grant-reject"),
]

from django.urls import path

from security import views

app_name = "security"
urlpatterns = [
    path("captcha/", views.captcha, name="captcha"),
    path("locks/", views.lock_list, name="lock-list"),
    path("locks/<int:pk>/unlock/", views.lock_unlock, name="lock-unlock"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<int:pk>/end/", views.session_end, name="session-end"),
]

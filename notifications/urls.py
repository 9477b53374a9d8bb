from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/", views.notification_open, name="open"),
]

from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/<slug:chart>.xlsx", views.export, name="export"),
]

from django.urls import path

from core import pii_views, views

app_name = "core"
urlpatterns = [
    path("text-size/", views.text_size, name="text-size"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("personal-numbers/<slug:key>/<int:pk>/", pii_views.unmask, name="personal-number-unmask"),
]

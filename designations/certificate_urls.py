"""The certificate of a named site; included in designations.urls (namespace
"designations") at the root of /designations/."""

from django.urls import path

from designations.views import certificates

urlpatterns = [
    path("sites/<int:pk>/certificate.pdf", certificates.certificate, name="certificate"),
]

"""The yearly review pages, included by designations/urls.py at review/ (namespace "designations")."""

from django.urls import path

from designations.views import review

urlpatterns = [
    path("", review.round_list, name="review-rounds"),
    path("new/", review.round_create, name="review-round-create"),
    path("<int:pk>/", review.round_detail, name="review-round"),
    path("mine/", review.my_reports, name="review-mine"),
    path("reports/<int:pk>/", review.report_detail, name="review-report"),
    path("reports/<int:pk>/submit/", review.report_submit, name="review-report-submit"),
    path("reports/<int:pk>/files/", review.report_file_upload, name="review-report-file"),
    path("reports/<int:pk>/decide/", review.report_decide, name="review-decide"),
    path("files/<int:pk>/", review.report_file, name="review-file"),
]

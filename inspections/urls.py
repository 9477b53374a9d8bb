from django.urls import include, path

from inspections.views import documents, sheets, teams

app_name = "inspections"
urlpatterns = [
    path("", teams.inspection_list, name="list"),
    path("mine/", teams.my_inspections, name="mine"),
    path("plan/<int:application_pk>/", teams.plan, name="plan"),
    path("<int:pk>/", teams.detail, name="detail"),
    path("<int:pk>/edit/", teams.edit, name="edit"),
    path("<int:pk>/cancel/", teams.cancel, name="cancel"),
    path("<int:pk>/visit/", teams.record_visit, name="record-visit"),
    path("<int:pk>/visit.ics", teams.visit_ics, name="visit-ics"),
    path("<int:pk>/finalise/", sheets.finalise, name="finalise"),
    path("<int:pk>/report.pdf", documents.report_pdf, name="report-pdf"),
    path("<int:pk>/report.xlsx", documents.report_xlsx, name="report-xlsx"),
    path("sheets/<int:pk>/", sheets.sheet, name="sheet"),
    path("sheets/<int:pk>/indicators/<int:indicator_pk>/", sheets.save_score, name="score-save"),
    path("sheets/<int:pk>/vetoes/", sheets.save_vetoes, name="vetoes-save"),
    path("sheets/<int:pk>/photos/", sheets.photo_upload, name="photo-upload"),
    path("sheets/<int:pk>/submit/", sheets.submit, name="sheet-submit"),
    path("sheets/<int:pk>/reopen/", sheets.reopen, name="sheet-reopen"),
    path("photos/<int:pk>/", sheets.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", sheets.photo_thumbnail, name="photo-thumbnail"),
    path("experts/", include("inspections.pool_urls")),
]

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/units/", views.workspace_units, name="workspace-units"),
    path("workspace/remind/", views.remind, name="remind"),
    path("workspace/<int:pk>/", views.workspace_of, name="workspace-of"),
    path("workspace/<int:pk>/units/", views.workspace_units_of, name="workspace-units-of"),
    path("progress/", views.progress, name="progress"),
    path("progress/schedule/", views.schedule_edit, name="schedule-edit"),
    path("progress/<int:campaign_pk>/<str:period>/", views.period_detail, name="period"),
    path("progress/<int:campaign_pk>/<str:period>/remind/", views.period_remind, name="period-remind"),
    path("progress/<int:campaign_pk>/<str:period>/export.xlsx", views.period_xlsx, name="period-xlsx"),
    path("progress/<int:campaign_pk>/<str:period>/export.pdf", views.period_pdf, name="period-pdf"),
    path("progress/<int:campaign_pk>/<str:period>/write/", views.report_write, name="report-write"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("<int:pk>/comments/new/", views.report_comment, name="report-comment"),
]

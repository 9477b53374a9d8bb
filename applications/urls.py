from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("mine/", views.my_application, name="mine"),
    path("start/", views.start, name="start"),
    path("inbox/", views.inbox, name="inbox"),
    path("", views.application_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/assessment/", views.assessment, name="assessment"),
    path("<int:pk>/indicators/<int:indicator_pk>/", views.save_indicator, name="indicator-save"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/recommend/", views.recommend, name="recommend"),
    path("<int:pk>/rounds/<int:round>/", views.snapshot, name="snapshot"),
]

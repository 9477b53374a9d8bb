from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("mine/", views.my_plan, name="mine"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/steps/new/", views.step_create, name="step-create"),
    path("<int:pk>/comments/new/", views.comment_create, name="comment-create"),
    path("steps/<int:pk>/edit/", views.step_update, name="step-update"),
    path("steps/<int:pk>/progress/", views.step_progress, name="step-progress"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step-delete"),
    path("steps/<int:pk>/move/", views.step_move, name="step-move"),
]

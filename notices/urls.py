from django.urls import path

from notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/read/", views.notice_read, name="read"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/publish/", views.notice_publish, name="publish"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="withdraw"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment-remove"),
    path("contact/", views.contact, name="contact"),
    path("contact/edit/", views.contact_edit, name="contact-edit"),
]

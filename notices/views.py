from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import public, roles, signed_in
from core.files import stream_stored
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.ratelimit import allow_upload
from core.roles import PROVINCE_ROLES
from notices import permissions, selectors, services
from notices.forms import ContactInfoForm, ContactPersonFormSet, NoticeFilterForm, NoticeForm, WithdrawForm
from notices.models import Attachment, Notice, State
from notices.rendering import render_markdown

DEFAULT_ISSUER = "河北省思想政治工作研究会"  # data: the usual issuing body, offered when a notice is written


@public
def notice_list(request):
    """Everyone's list: public notices without login, all published ones when signed in,
    every state (with a filter) for the provincial office."""
    form = NoticeFilterForm(request.GET or None)
    query = state = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        state = form.cleaned_data["state"] if permissions.can_manage_notices(request.user) else ""
    page = paginate(request, selectors.notices_for(request.user, query=query, state=state))
    return render(
        request,
        "notices/notice_list.html",
        {
            "page_obj": page,
            "filter_form": form,
            "can_manage": permissions.can_manage_notices(request.user),
        },
    )


@public
def notice_detail(request, pk):
    """The notice. Showing it marks nothing: the page posts its read mark itself
    (notice_read, htmx on load, a button without JavaScript), so that a link or an <img>
    from another site cannot count a reader who never saw it."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user).with_unread(request.user), pk=pk)
    can_manage = permissions.can_manage_notices(request.user)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "body_html": render_markdown(notice.body),
            "attachments": notice.attachments.order_by("id"),
            "can_manage": can_manage,
            "read_count": notice.reads.count() if can_manage else None,
            "withdraw_form": WithdrawForm() if can_manage and notice.state == State.PUBLISHED else None,
        },
    )


def _preview(request, form, context):
    """The Markdown preview: the form's fragment for htmx, the whole page otherwise."""
    context = {**context, "form": form, "preview_html": render_markdown(request.POST.get("body", ""))}
    if request.htmx:
        return render(request, "notices/notice_form.html#preview", context)
    return render(request, "notices/notice_form.html", context)


@roles(*PROVINCE_ROLES)
def notice_create(request):
    if request.method == "POST" and request.POST.get("action") == "preview":
        return _preview(request, NoticeForm(initial=request.POST.dict()), {})
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        initial={"issuer": DEFAULT_ISSUER, "issued_on": timezone.localdate()},
    )
    if request.method == "POST" and allow_upload(request, form, "attachments") and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments")
        try:
            notice = services.create_notice(actor=request.user, files=files, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("action") == "publish":
                services.publish_notice(actor=request.user, notice=notice)
                messages.success(request, _("The notice was published."))
            else:
                messages.success(request, _("The notice was saved as a draft. Publish it when it is ready."))
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/notice_form.html", {"form": form})


@roles(*PROVINCE_ROLES)
def notice_edit(request, pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    context = {"notice": notice, "attachments": notice.attachments.order_by("id")}
    if request.method == "POST" and request.POST.get("action") == "preview":
        # The preview keeps the token the editing started from, not the row's current one.
        form = NoticeForm(initial=request.POST.dict(), edit_token=request.POST.get("edit_token", ""))
        return _preview(request, form, context)
    form = NoticeForm(request.POST or None, request.FILES or None, instance=Notice.objects.get(pk=pk))
    if request.method == "POST" and allow_upload(request, form, "attachments") and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments")
        try:
            services.update_notice(actor=request.user, notice=notice, files=files, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/notice_form.html", {**context, "form": form})


@roles(*PROVINCE_ROLES)
@require_POST
def notice_publish(request, pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    try:
        services.publish_notice(actor=request.user, notice=notice)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The notice was published."))
    return redirect("notices:detail", pk=notice.pk)


@roles(*PROVINCE_ROLES)
@require_POST
def notice_withdraw(request, pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_notice(actor=request.user, notice=notice, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The notice was withdrawn. Only the provincial office sees it now."))
    else:
        messages.error(request, " ".join(form.errors["reason"]))
    return redirect("notices:detail", pk=notice.pk)


@public
def attachment_download(request, pk):
    """Stream an attachment under its original name, only to someone who may see its
    notice; 404 for anyone else, and for a file missing from the storage."""
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user).select_related("notice__author"), pk=pk)
    # A notice's attachment may be internal: stream_stored lets no shared cache keep a copy.
    # A notice is the provincial office's: the organisation of whoever wrote it.
    return stream_stored(
        request,
        attachment.file.name,
        obj=attachment,
        scope=attachment.notice.author.organisation,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@roles(*PROVINCE_ROLES)
@require_POST
def attachment_remove(request, pk):
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    services.remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
    return redirect("notices:edit", pk=attachment.notice_id)


@signed_in
@require_POST
def notice_read(request, pk):
    """Mark the notice read for the signed-in user (the notice page posts it as it
    opens); htmx gets the mark's fragment, a plain POST goes back to the notice."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    services.mark_notice_read(user=request.user, notice=notice)
    if request.htmx:
        return render(request, "notices/notice_detail.html#read-mark", {"notice": notice, "marked": True})
    return redirect("notices:detail", pk=notice.pk)


@signed_in
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)s notice was marked as read.", "%(count)s notices were marked as read.", count)
        % {"count": count},
    )
    return redirect("notices:list")


@public
def contact(request):
    return render(
        request,
        "notices/contact.html",
        {"contact": selectors.contact_info(), "can_manage": permissions.can_manage_notices(request.user)},
    )


@roles(*PROVINCE_ROLES)
def contact_edit(request):
    current = selectors.contact_info()
    people = (
        [{"name": p.name, "position": p.position, "phone": p.phone} for p in current.people.all()] if current else []
    )
    form = ContactInfoForm(request.POST or None, instance=current, edit_token=services.contact_token())
    formset = ContactPersonFormSet(request.POST or None, initial=people, prefix="people")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            services.update_contact(actor=request.user, people=kept, **form.cleaned_data)  # with its edit_token
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact page was updated."))
            return redirect("notices:contact")
    return render(request, "notices/contact_form.html", {"form": form, "formset": formset})

"""Pages of the expert pool (专家库), for the provincial office only: the list, adding and
editing an expert with its declared conflicts, and the Excel template, export and import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.access import roles
from core.files import as_download
from core.forms import add_service_errors
from core.pagination import paginate
from core.ratelimit import allow_upload
from core.roles import PROVINCE_ROLES
from inspections import pool_io
from inspections.forms_pool import (
    PROVINCIAL,
    ConflictForm,
    ImportConfirmForm,
    ImportUploadForm,
    InspectorForm,
    LoginCreateForm,
    PoolFilterForm,
)
from inspections.models import Conflict, Inspector
from inspections.services import pool as services

POOL_ROLES = tuple(sorted(PROVINCE_ROLES))
FORM_FIELDS = ("name", "employer", "title", "area", "specialities", "phone", "id_number", "email", "notes", "user")


def _pool(request):
    return Inspector.objects.visible_to(request.user)


def _filtered(queryset, form: PoolFilterForm):
    """`queryset` narrowed by the valid filters of `form`; an invalid filter (a stray NUL
    byte, an unknown area) lists without that filter."""
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    if data["q"]:
        queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(employer__icontains=data["q"]))
    if data["area"] == PROVINCIAL:
        queryset = queryset.filter(area__isnull=True)
    elif data["area"]:
        queryset = queryset.filter(area_id=int(data["area"]))
    if data["speciality"]:
        queryset = queryset.filter(specialities__icontains=data["speciality"])
    if data["status"]:
        queryset = queryset.filter(is_active=data["status"] == "active")
    return queryset


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    # Personal data: as_download lets no shared or lasting cache keep it.
    return as_download(HttpResponse(content, content_type=pool_io.XLSX_CONTENT_TYPE), filename=filename)


@roles(*POOL_ROLES)
def expert_list(request):
    form = PoolFilterForm(request.GET or None)
    inspectors = _filtered(_pool(request), form).select_related("area", "user")
    page = paginate(request, inspectors.order_by("name", "pk"))
    return render(
        request,
        "inspections/pool/list.html",
        {
            "page_obj": page,
            "filter_form": form,
            "filtered": form.is_bound,
            "can_export_unmasked": pool_io.can_export_unmasked(request.user),
        },
    )


@roles(*POOL_ROLES)
def expert_create(request):
    form = InspectorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspector = services.create_inspector(
                actor=request.user, **{name: form.cleaned_data[name] for name in FORM_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was added to the pool. Declare the expert's conflicts below.") % {"name": inspector.name},
            )
            return redirect("inspections:expert-edit", pk=inspector.pk)
    return render(
        request, "inspections/pool/create.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


def _render_edit(request, inspector, *, form=None, conflict_form=None, login_form=None, status=200):
    conflicts = inspector.conflicts.select_related("organisation__parent").order_by("organisation__name", "pk")
    return render(
        request,
        "inspections/pool/edit.html",
        {
            "inspector": inspector,
            "form": form or InspectorForm(instance=inspector),
            "conflict_form": conflict_form or ConflictForm(),
            "login_form": login_form or (LoginCreateForm() if not inspector.user_id else None),
            "conflicts": conflicts,
        },
        status=status,
    )


def _scoped(request, pk) -> Inspector:
    return get_object_or_404(_pool(request).select_related("area", "user"), pk=pk)


@roles(*POOL_ROLES)
def expert_edit(request, pk):
    """The expert's entry, its login account and its declared conflicts."""
    inspector = _scoped(request, pk)
    if request.method != "POST":
        return _render_edit(request, inspector)
    # The form works on its own copy: the page keeps showing the entry as it is saved.
    form = InspectorForm(request.POST, instance=Inspector.objects.get(pk=inspector.pk))
    if form.is_valid():
        try:
            services.update_inspector(
                actor=request.user,
                inspector=inspector,
                edit_token=form.cleaned_data.get("edit_token"),
                **{name: form.cleaned_data[name] for name in FORM_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("inspections:expert-edit", pk=inspector.pk)
    return _render_edit(request, inspector, form=form, status=422)


@roles(*POOL_ROLES)
@require_POST
@never_cache
def expert_login(request, pk):
    """Create the expert's login account from its page; the initial password is shown on
    the answer to this POST only, never stored in clear nor shown again."""
    inspector = _scoped(request, pk)
    form = LoginCreateForm(request.POST)
    if form.is_valid():
        try:
            inspector, password = services.create_login(
                actor=request.user, inspector=inspector, username=form.cleaned_data["username"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request, "inspections/pool/login_created.html", {"inspector": inspector, "password": password}
            )
    return _render_edit(request, inspector, login_form=form, status=422)


@roles(*POOL_ROLES)
@require_POST
def expert_toggle(request, pk):
    inspector = _scoped(request, pk)
    active = request.POST.get("active") == "1"
    services.set_inspector_active(actor=request.user, inspector=inspector, active=active)
    if active:
        messages.success(request, _("%(name)s is back in the pool.") % {"name": inspector.name})
    else:
        messages.success(
            request, _("%(name)s was taken out of the pool and will not be drawn.") % {"name": inspector.name}
        )
    return redirect("inspections:expert-edit", pk=inspector.pk)


@roles(*POOL_ROLES)
@require_POST
def expert_conflict_add(request, pk):
    inspector = _scoped(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            conflict = services.add_conflict(
                actor=request.user,
                inspector=inspector,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s will never be assigned to %(organisation)s or anything below it.")
                % {"name": inspector.name, "organisation": conflict.organisation.name},
            )
            return redirect("inspections:expert-edit", pk=inspector.pk)
    return _render_edit(request, inspector, conflict_form=form, status=422)


@roles(*POOL_ROLES)
@require_POST
def expert_conflict_remove(request, pk, conflict_pk):
    inspector = _scoped(request, pk)
    conflict = get_object_or_404(Conflict.objects.select_related("organisation"), pk=conflict_pk, inspector=inspector)
    services.remove_conflict(actor=request.user, conflict=conflict)
    messages.success(
        request, _("The conflict with %(organisation)s was withdrawn.") % {"organisation": conflict.organisation.name}
    )
    return redirect("inspections:expert-edit", pk=inspector.pk)


@roles(*POOL_ROLES)
def expert_import(request):
    """Upload a workbook and see the report of every row (GET form, POST with a file);
    then import all rows or only the good ones (POST with the token of the checked file)."""
    if request.method == "POST" and "token" in request.POST:
        return _confirm_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and allow_upload(request, form, "file") and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pool_io.check_upload(upload)
            report = pool_io.check_workbook(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            token = pool_io.stash_upload(user=request.user, upload=upload) if report.good_count else ""
            return _render_report(request, report, token=token)
    return render(
        request, "inspections/pool/import.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


def _render_report(request, report, *, token: str, errors=(), status=200):
    return render(
        request,
        "inspections/pool/import.html",
        {"report": report, "token": token, "errors": list(errors)},
        status=status,
    )


def _confirm_import(request):
    form = ImportConfirmForm(request.POST)
    upload = pool_io.open_stash(user=request.user, token=form.data.get("token", "")) if form.is_valid() else None
    if upload is None:
        messages.error(request, _("The checked file is no longer available. Upload it again."))
        return redirect("inspections:expert-import")
    token = form.cleaned_data["token"]
    try:
        report = pool_io.check_workbook(upload)
    except ValidationError:
        pool_io.discard_stash(user=request.user, token=token)
        messages.error(request, _("The checked file is no longer available. Upload it again."))
        return redirect("inspections:expert-import")
    if report.good_count != form.cleaned_data["expected"]:
        return _render_report(
            request,
            report,
            token=token,
            errors=[_("The pool changed since the file was checked. Read the report again before importing.")],
            status=422,
        )
    try:
        counts = pool_io.import_report(
            actor=request.user, report=report, only_good=form.cleaned_data["mode"] == ImportConfirmForm.GOOD
        )
    except ValidationError as error:
        return _render_report(request, report, token=token, errors=error.messages, status=422)
    pool_io.discard_stash(user=request.user, token=token)
    messages.success(
        request,
        _(
            "Import done: %(created)d experts added, %(updated)d updated, %(conflicts)d conflicts declared, "
            "%(skipped)d rows left out."
        )
        % {
            "created": counts.created,
            "updated": counts.updated,
            "conflicts": counts.conflicts,
            "skipped": counts.skipped,
        },
    )
    return redirect("inspections:expert-list")


@roles(*POOL_ROLES)
def expert_export(request):
    """The listed experts (same filters as the list) as a workbook; whole phone numbers
    with ?unmasked=1, for the provincial administrator only (403 for anyone else)."""
    form = PoolFilterForm(request.GET or None)
    content = pool_io.export_workbook(
        actor=request.user, inspectors=_filtered(_pool(request), form), unmasked=request.GET.get("unmasked") == "1"
    )
    filename = _("expert-pool-%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return _xlsx(content, filename)


@roles(*POOL_ROLES)
def expert_template(request):
    return _xlsx(pool_io.template_workbook(), _("expert-pool-template.xlsx"))

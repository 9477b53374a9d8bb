from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.selectors import current_campaign, with_content
from core.access import roles
from core.files import stream_stored
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.ratelimit import allow_upload
from core.roles import PROVINCE_ROLES, Role
from materials import permissions, selectors, services
from materials.forms import EvidenceUploadForm, RemoveForm, ReplaceForm, UploadForm
from materials.models import Kind, Material, MaterialVersion
from materials.pdf_pages import first_page_picture

# Who may read a unit's files at all; the data scope (visible_to) then decides which.
# Inspectors see the units of the inspections they are members of.
READERS = (*PROVINCE_ROLES, Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR)
PDF = "application/pdf"


def _campaign_or_404():
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    return campaign


def _summary_form(data=None, files=None):
    return UploadForm(data, files, auto_id="id_summary_%s", initial={"kind": Kind.WORK_SUMMARY})


def _supporting_form(data=None, files=None):
    return UploadForm(data, files, auto_id="id_supporting_%s", initial={"kind": Kind.SUPPORTING})


def _replace_form(material, data=None, files=None):
    return ReplaceForm(data, files, auto_id=f"id_replace{material.pk}_%s")


def _render_mine(request, *, summary_form=None, supporting_form=None, failed_replace=None):
    """The unit's page; a form that failed comes back bound, its errors by its field."""
    campaign = current_campaign()
    unit = request.user.organisation
    context = {"campaign": campaign, "unit": unit}
    if campaign is not None:
        summary = selectors.work_summary_for(unit=unit, campaign=campaign, viewer=request.user, with_history=True)
        page = paginate(
            request,
            selectors.materials_for(
                unit=unit, campaign=campaign, kind=Kind.SUPPORTING, viewer=request.user, with_history=True
            ),
        )
        if summary is not None and summary_form is not None:
            # A work summary arrived from another tab meanwhile: the message goes by its file.
            failed_replace = (summary.pk, summary_form)
            summary_form = None
        failed_pk, failed_form = failed_replace or (None, None)
        for material in [summary, *page] if summary else page:
            material.replace_form = failed_form if material.pk == failed_pk else _replace_form(material)
        context |= {
            "summary": summary,
            "page_obj": page,
            "summary_form": summary_form or _summary_form(),
            "supporting_form": supporting_form or _supporting_form(),
            "can_change": permissions.can_change_materials(request.user, unit, campaign),
        }
    return render(request, "materials/mine.html", context)


def _back_to_mine(request):
    page = request.GET.get("page", "")
    url = reverse("materials:mine")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


@roles(Role.UNIT)
def my_materials(request):
    """The unit operator's work summary and supporting materials for the running campaign."""
    return _render_mine(request)


@roles(Role.UNIT)
@require_POST
def material_upload(request):
    campaign = _campaign_or_404()
    is_summary = request.POST.get("kind") == Kind.WORK_SUMMARY
    form = (_summary_form if is_summary else _supporting_form)(request.POST, request.FILES)
    if allow_upload(request, form, "file") and form.is_valid():
        try:
            version = services.upload_material(
                actor=request.user,
                unit=request.user.organisation,
                campaign=campaign,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was uploaded.") % {"name": version.original_name})
            return _back_to_mine(request)
    return _render_mine(request, **{"summary_form" if is_summary else "supporting_form": form})


@roles(Role.UNIT)
@require_POST
def material_replace(request, pk):
    material = get_object_or_404(Material.objects.visible_to(request.user).current(), pk=pk)
    form = _replace_form(material, request.POST, request.FILES)
    if allow_upload(request, form, "file") and form.is_valid():
        try:
            version = services.replace_material(actor=request.user, material=material, file=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now version %(number)s of “%(title)s”; the earlier versions are kept.")
                % {"name": version.original_name, "number": version.number, "title": material.title},
            )
            return _back_to_mine(request)
    return _render_mine(request, failed_replace=(material.pk, form))


@roles(Role.UNIT)
@require_POST
def material_remove(request, pk):
    material = get_object_or_404(Material.objects.visible_to(request.user).current(), pk=pk)
    form = RemoveForm(request.POST)
    try:
        services.remove_material(actor=request.user, material=material)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("“%(title)s” was removed.") % {"title": material.title})
    if form.safe_next(request):
        return redirect(form.safe_next(request))
    return redirect("materials:evidence" if material.kind == Kind.EVIDENCE else "materials:mine")


@roles(*READERS)
def material_detail(request, pk):
    """One material and every version of it, for whoever may see its unit."""
    material = get_object_or_404(
        Material.objects.visible_to(request.user).select_related("unit", "campaign", "indicator", "current_version"),
        pk=pk,
    )
    return render(
        request,
        "materials/detail.html",
        {"material": material, "versions": selectors.versions_of(material).select_related("uploaded_by")},
    )


def _render_evidence(request, *, campaign, evidence_form=None):
    # The version current_version() names, with its content, in one go.
    version = with_content(campaign.versions.published()).first()
    return render(
        request,
        "materials/evidence.html",
        {
            "campaign": campaign,
            "unit": request.user.organisation,
            "version": version,
            "evidence_form": evidence_form,
            # Where the include's forms come back to: the page the failed form was on.
            "next_url": (evidence_form.safe_next(request) if evidence_form else "") or reverse("materials:evidence"),
        },
    )


@roles(Role.UNIT)
def evidence(request):
    """Every indicator of the running campaign's standard with its evidence files."""
    campaign = current_campaign()
    if campaign is None:
        return render(request, "materials/evidence.html", {"campaign": None})
    return _render_evidence(request, campaign=campaign)


@roles(Role.UNIT)
@require_POST
def evidence_upload(request):
    """Attach a file to one indicator, then go back to `next` (the page the form was
    on) when it is an address of this site, else to the evidence page. A refused file
    comes back on the evidence page, its message by the field."""
    campaign = _campaign_or_404()
    indicator = request.POST.get("indicator", "")
    form = EvidenceUploadForm(
        request.POST,
        request.FILES,
        campaign=campaign,
        # The same element ids as the indicator's form on the page it came from.
        auto_id=f"id_evidence{indicator if indicator.isdigit() else ''}_%s",
    )
    if allow_upload(request, form, "file") and form.is_valid():
        try:
            version = services.upload_material(
                actor=request.user,
                unit=request.user.organisation,
                campaign=campaign,
                kind=Kind.EVIDENCE,
                indicator=form.cleaned_data["indicator"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was uploaded.") % {"name": version.original_name})
            return redirect(form.safe_next(request) or "materials:evidence")
    return _render_evidence(request, campaign=campaign, evidence_form=form)


def _visible_version(request, pk, **filters):
    return get_object_or_404(
        MaterialVersion.objects.visible_to(request.user).filter(**filters).select_related("material__unit"), pk=pk
    )


def _stream_version(request, version, name, *, part, **kwargs):
    """A stored file of `version` (the file itself or a picture of it), audited."""
    return stream_stored(
        request, name, obj=version, scope=version.material.unit, part=part, version=version.number, **kwargs
    )


@roles(*READERS)
def version_download(request, pk):
    """Stream one version under its original name (RFC 5987 for Chinese names), only to
    someone who may see its unit; 404 for anyone else, and for a missing file."""
    version = _visible_version(request, pk)
    return _stream_version(
        request,
        version,
        version.file.name,
        part="file",
        filename=version.original_name,
        content_type=version.content_type,
    )


@roles(*READERS)
def version_preview(request, pk):
    """A PDF shown by the browser itself, in a sandbox: whatever script the PDF holds
    runs in an origin of its own, without our cookies. Other types answer 404."""
    version = _visible_version(request, pk, content_type=PDF)
    # stream_stored shows it only when its content is a PDF, in a sandbox of its own.
    return _stream_version(
        request,
        version,
        version.file.name,
        part="preview",
        filename=version.original_name,
        content_type=PDF,
        inline=True,
    )


@roles(*READERS)
def version_page(request, pk):
    """The picture of a PDF version's first page (materials.pdf_pages); 404 for another
    type; for a PDF that cannot be rendered, a plain picture saying so (the page's <img>
    shows it instead of a broken image)."""
    version = _visible_version(request, pk, content_type=PDF)
    picture = first_page_picture(version)
    if picture is None:
        return redirect(static("img/pdf-no-preview.svg"))
    return _stream_version(request, version, picture, part="page", content_type="image/png", inline=True)


@roles(*READERS)
def version_thumbnail(request, pk):
    """The small picture of an image version; 404 for a version without one."""
    version = _visible_version(request, pk)
    if not version.thumbnail:
        raise Http404
    content_type = "image/png" if version.thumbnail.name.endswith(".png") else "image/jpeg"
    return _stream_version(
        request, version, version.thumbnail.name, part="thumbnail", content_type=content_type, inline=True
    )

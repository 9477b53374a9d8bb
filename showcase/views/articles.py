"""Experience articles inside the platform: the named unit drafts, illustrates and
submits; the provincial office edits, publishes, unpublishes, returns and features.
Every article is read through ExperienceArticle.objects.visible_to (404 outside it);
every write through showcase.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import roles
from core.forms import add_service_errors, report_error
from core.pagination import paginate
from core.ratelimit import allow_upload
from core.roles import PROVINCE_ROLES, Role
from designations.models import Designation, DesignationStatus
from notices.rendering import render_markdown
from showcase import permissions, selectors, services
from showcase.forms import ArticleForm, PhotoEditForm, PhotoForm, ReasonForm, ReviewFilterForm
from showcase.models import ArticlePhoto, ArticleStatus, ExperienceArticle

MANAGERS = (*PROVINCE_ROLES, Role.UNIT)
DETAIL = "showcase/article_detail.html"
FORM = "showcase/article_form.html"


def _article_or_404(request, pk) -> ExperienceArticle:
    try:
        return selectors.article_for_page(request.user, pk)
    except ExperienceArticle.DoesNotExist as error:
        raise Http404 from error


def _photo_or_404(request, pk) -> ArticlePhoto:
    visible = ExperienceArticle.objects.visible_to(request.user)
    return get_object_or_404(ArticlePhoto.objects.filter(article__in=visible).select_related("article"), pk=pk)


def _not_editable(request, article):
    messages.error(
        request,
        _("This article is “%(status)s”: it can no longer be changed.") % {"status": article.get_status_display()},
    )
    return redirect("showcase:article-detail", pk=article.pk)


# --- lists -------------------------------------------------------------------------------


@roles(Role.UNIT)
def mine(request):
    """The unit's experience articles in every state, and where to write a new one."""
    page = paginate(request, selectors.articles_for(request.user))
    return render(request, "showcase/mine.html", {"page_obj": page, "sites": selectors.writable_sites(request.user)})


@roles(*PROVINCE_ROLES)
def review_list(request):
    """Every article for the office, filtered by status and searched, most recently changed first."""
    form = ReviewFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    articles = selectors.articles_for(request.user, status=data.get("status", ""), query=data.get("q", ""))
    return render(request, "showcase/review.html", {"page_obj": paginate(request, articles), "filter_form": form})


# --- writing -------------------------------------------------------------------------------


def _preview(request, context):
    context = {**context, "preview_html": render_markdown(request.POST.get("body", ""))}
    if request.htmx:
        return render(request, f"{FORM}#preview", context)
    return render(request, FORM, context)


@roles(Role.UNIT)
def create(request, designation_pk):
    """A new draft article of one of the unit's named sites."""
    designation = get_object_or_404(
        Designation.objects.visible_to(request.user).filter(status=DesignationStatus.ACTIVE).select_related("unit"),
        pk=designation_pk,
    )
    if not permissions.can_write_article(request.user, designation):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "preview":
        return _preview(request, {"designation": designation, "form": ArticleForm(request.POST)})
    form = ArticleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                article = services.create_article(actor=request.user, designation=designation, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft is saved. Add photos, then submit it to the provincial office."))
                return redirect(f"{reverse('showcase:article-edit', kwargs={'pk': article.pk})}#photos")
        status = 422
    return render(request, FORM, {"designation": designation, "form": form}, status=status)


def _form_context(request, article, *, form=None, photo_form=None, photo_forms=None) -> dict:
    photo_forms = photo_forms or {}
    photos = article.photo_list
    for photo in photos:
        photo.form = photo_forms.get(photo.pk) or PhotoEditForm(
            initial={"alt_text": photo.alt_text, "caption": photo.caption, "order": photo.order},
            prefix=f"photo-{photo.pk}",
            edit_token=services.photo_token(photo),
        )
    return {
        "article": article,
        "designation": article.designation,
        "form": form or ArticleForm(instance=article),
        "photo_form": photo_form or PhotoForm(),
        "photos": photos,
        "max_photos": services.MAX_PHOTOS,
    }


@roles(*MANAGERS)
def edit(request, pk):
    """Change the text of an article and manage its photos: the unit while it is a draft,
    the office in any state."""
    article = _article_or_404(request, pk)
    if not permissions.can_edit_article(request.user, article):
        return _not_editable(request, article)
    if request.method == "POST" and request.POST.get("action") == "preview":
        # The preview keeps the token the editing started from, not the row's current one.
        form = ArticleForm(request.POST, edit_token=request.POST.get("edit_token", ""))
        return _preview(request, _form_context(request, article, form=form))
    if request.method != "POST":
        return render(request, FORM, _form_context(request, article))
    form = ArticleForm(request.POST, instance=ExperienceArticle.objects.get(pk=article.pk))
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ARTICLE_FIELDS}
        try:
            services.update_article(
                actor=request.user, article=article, edit_token=form.cleaned_data.get("edit_token"), **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            return _not_editable(request, article)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("showcase:article-detail", pk=article.pk)
    return render(request, FORM, _form_context(request, article, form=form), status=422)


@roles(*MANAGERS)
@require_POST
def photo_add(request, pk):
    article = _article_or_404(request, pk)
    if not permissions.can_edit_article(request.user, article):
        return _not_editable(request, article)
    form = PhotoForm(request.POST, request.FILES)
    if allow_upload(request, form, "file") and form.is_valid():
        try:
            services.add_photo(
                actor=request.user,
                article=article,
                upload=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            return _not_editable(request, article)
        else:
            messages.success(request, _("The photo was added."))
            return redirect(f"{reverse('showcase:article-edit', kwargs={'pk': article.pk})}#photos")
    return render(request, FORM, _form_context(request, article, photo_form=form), status=422)


@roles(*MANAGERS)
@require_POST
def photo_edit(request, pk):
    photo = _photo_or_404(request, pk)
    article = _article_or_404(request, photo.article_id)
    if not permissions.can_edit_article(request.user, article):
        return _not_editable(request, article)
    form = PhotoEditForm(request.POST, prefix=f"photo-{photo.pk}", edit_token="")
    if form.is_valid():
        try:
            services.update_photo(actor=request.user, photo=photo, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            return _not_editable(request, article)
        else:
            messages.success(request, _("The photo's description was saved."))
            return redirect(f"{reverse('showcase:article-edit', kwargs={'pk': article.pk})}#photo-{photo.pk}")
    return render(request, FORM, _form_context(request, article, photo_forms={photo.pk: form}), status=422)


@roles(*MANAGERS)
@require_POST
def photo_remove(request, pk):
    photo = _photo_or_404(request, pk)
    article = _article_or_404(request, photo.article_id)
    try:
        services.remove_photo(actor=request.user, photo=photo)
    except PermissionDenied:
        return _not_editable(request, article)
    messages.success(request, _("The photo was removed."))
    return redirect(f"{reverse('showcase:article-edit', kwargs={'pk': article.pk})}#photos")


# --- the article and its workflow --------------------------------------------------------


def _detail_context(request, article, *, unpublish_form=None, return_form=None) -> dict:
    user = request.user
    can_review = permissions.can_review(user)
    status = article.status
    return {
        "article": article,
        "designation": article.designation,
        "body_html": render_markdown(article.body),
        "photos": article.photo_list,
        "can_edit": permissions.can_edit_article(user, article),
        "can_submit": permissions.can_submit_article(user, article),
        "can_review": can_review,
        "can_publish": can_review and status in services.TRANSITIONS["publish"].sources,
        "can_feature": can_review and article.is_published and article.designation.is_active,
        "unpublish_form": unpublish_form
        or (ReasonForm(prefix="unpublish") if can_review and status == ArticleStatus.PUBLISHED else None),
        "return_form": return_form
        or (ReasonForm(prefix="return") if can_review and status in services.TRANSITIONS["return"].sources else None),
        "is_public": article.is_published and article.designation.is_active,
    }


@roles(*MANAGERS)
def detail(request, pk):
    """The article as its readers will see it, its status, the office's last note, and
    what the viewer may do with it."""
    article = _article_or_404(request, pk)
    return render(request, DETAIL, _detail_context(request, article))


def _transition(request, pk, *, name: str, done: str, form_prefix: str | None = None):
    article = _article_or_404(request, pk)
    reason = ""
    form = None
    if form_prefix:
        form = ReasonForm(request.POST, prefix=form_prefix)
        if not form.is_valid():
            context = _detail_context(request, article, **{f"{form_prefix}_form": form})
            return render(request, DETAIL, context, status=422)
        reason = form.cleaned_data["reason"]
    try:
        services.transition_article(actor=request.user, article=article, name=name, reason=reason)
    except PermissionDenied:
        return _not_editable(request, article)
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            add_service_errors(form, error)
            context = _detail_context(request, article, **{f"{form_prefix}_form": form})
            return render(request, DETAIL, context, status=422)
        report_error(request, error)
    else:
        messages.success(request, done)
    return redirect("showcase:article-detail", pk=article.pk)


@roles(Role.UNIT)
@require_POST
def submit(request, pk):
    return _transition(
        request, pk, name="submit", done=_("The article is submitted: the provincial office will review it.")
    )


@roles(*PROVINCE_ROLES)
@require_POST
def publish(request, pk):
    return _transition(request, pk, name="publish", done=_("The article is published on the showcase."))


@roles(*PROVINCE_ROLES)
@require_POST
def unpublish(request, pk):
    return _transition(
        request, pk, name="unpublish", done=_("The article was taken off the showcase."), form_prefix="unpublish"
    )


@roles(*PROVINCE_ROLES)
@require_POST
def return_to_unit(request, pk):
    return _transition(
        request, pk, name="return", done=_("The article was returned to the unit as a draft."), form_prefix="return"
    )


@roles(*PROVINCE_ROLES)
@require_POST
def feature(request, pk):
    article = _article_or_404(request, pk)
    try:
        services.feature_article(actor=request.user, article=article)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The article is featured on the showcase's home page."))
    return redirect("showcase:article-detail", pk=article.pk)


@roles(*PROVINCE_ROLES)
@require_POST
def unfeature(request, pk):
    article = _article_or_404(request, pk)
    services.unfeature_article(actor=request.user, article=article)
    messages.success(request, _("The article is no longer featured."))
    return redirect("showcase:article-detail", pk=article.pk)

"""Shape only: who may write, and the rules of the workflow and of photos, belong to
showcase.services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.concurrency import EditTokenMixin
from organisations.models import Sector
from showcase.models import ALT_TEXT_MAX_LENGTH, CAPTION_MAX_LENGTH, ArticlePhoto, ArticleStatus, ExperienceArticle
from showcase.services import REASON_MAX_LENGTH

CERTIFICATE_NUMBER_MAX_LENGTH = 100


class SiteFilterForm(forms.Form):
    q = forms.CharField(label=_("Unit name"), required=False, max_length=100, help_text=_("Search by the unit's name"))
    area = forms.ChoiceField(label=_("City or system"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Every sector")), *Sector.choices])
    year = forms.ChoiceField(label=_("Year named"), required=False)

    def __init__(self, *args, areas=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Every city or system")), *[(str(a.pk), a.name) for a in areas]]
        self.fields["year"].choices = [("", _("Every year")), *[(str(year), str(year)) for year in years]]

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=CERTIFICATE_NUMBER_MAX_LENGTH,
        help_text=_("As printed on the certificate, e.g. 冀人文心理示范〔2026〕第001号."),
        error_messages={"required": _("Enter the certificate number.")},
    )

    def clean_number(self):
        return self.cleaned_data["number"].replace("\x00", "").strip()


class ArticleForm(EditTokenMixin, forms.ModelForm):
    class Meta:
        model = ExperienceArticle
        fields = ["title", "summary", "body"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18}),
        }
        help_texts = {
            "body": _(
                "Markdown: a blank line between paragraphs; # for a heading such as 一、主要做法, "
                "## for a sub-heading; 1. for a numbered list; **bold**. Add photos below once the draft is saved."
            ),
        }
        error_messages = {
            "title": {"required": _("Give the article a title.")},
            "summary": {"required": _("Sum the article up in two or three sentences.")},
            "body": {"required": _("Write the text of the article.")},
        }


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPEG or PNG, at most 20 MB."),
    )
    alt_text = forms.CharField(
        label=_("Description for screen readers"),
        max_length=ALT_TEXT_MAX_LENGTH,
        help_text=ArticlePhoto._meta.get_field("alt_text").help_text,
        error_messages={"required": _("Say what the photo shows, for readers who cannot see it.")},
    )
    caption = forms.CharField(label=_("Caption"), max_length=CAPTION_MAX_LENGTH, required=False)


class PhotoEditForm(EditTokenMixin, forms.Form):
    alt_text = forms.CharField(
        label=_("Description for screen readers"),
        max_length=ALT_TEXT_MAX_LENGTH,
        error_messages={"required": _("Say what the photo shows, for readers who cannot see it.")},
    )
    caption = forms.CharField(label=_("Caption"), max_length=CAPTION_MAX_LENGTH, required=False)
    order = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give the reason.")},
    )


class ReviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Title or unit"))
    status = forms.ChoiceField(
        label=pgettext_lazy("article", "Status"),
        required=False,
        choices=[("", _("Any status")), *ArticleStatus.choices],
    )

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()

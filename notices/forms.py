from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.concurrency import EditTokenMixin
from notices.filetypes import ALLOWED_EXTENSIONS
from notices.models import ContactInfo, ContactPerson, Notice, State


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data if item]
        return [clean_one(data, initial)] if data else []


class NoticeForm(EditTokenMixin, forms.ModelForm):
    """Shape only: what files are accepted, and who may save, are the services' rules."""

    attachments = MultipleFileField(label=_("Attachments"), required=False)

    class Meta:
        model = Notice
        fields = ["title", "doc_number", "issuer", "issued_on", "visibility", "body"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visibility": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 18}),
        }
        help_texts = {
            "body": _(
                "Markdown: a blank line between paragraphs; # for a heading such as 一、指导思想, "
                "## for a sub-heading; 1. for a numbered list; **bold**."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "PDF, Word, Excel, PowerPoint, JPEG, PNG or ZIP; several at once; each at most %(limit)s."
        ) % {"limit": filesizeformat(settings.NOTICE_ATTACHMENT_MAX_BYTES)}


class NoticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *State.choices])


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Please give the reason.")},
    )


class ContactInfoForm(EditTokenMixin, forms.ModelForm):
    class Meta:
        model = ContactInfo
        fields = ["phone", "fax", "email", "address", "postcode", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ContactPersonForm(forms.ModelForm):
    """One row of the contact people; a row left blank is simply no person."""

    class Meta:
        model = ContactPerson
        fields = ["name", "position", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("name") and (data.get("position") or data.get("phone")) and not data.get("DELETE"):
            self.add_error("name", forms.ValidationError(_("Give the person's name."), code="name_required"))
        return data


ContactPersonFormSet = forms.formset_factory(ContactPersonForm, extra=2, can_delete=True, max_num=20, validate_max=True)

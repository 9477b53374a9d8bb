from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from imports.workbook import check_upload


class UploadForm(forms.Form):
    """The workbook to check. Shape only: the rows are checked by the job."""

    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("Fill in the template of this kind of import and upload it here."),
        error_messages={"required": _("Choose the filled-in workbook to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.messages, code=error.code) from error
        return upload


class ConfirmForm(forms.Form):
    """Import a checked file: every row, or, when some are bad, only the good ones once
    the user has ticked that it understands the bad rows are left out."""

    only_good = forms.BooleanField(required=False)
    understood = forms.BooleanField(required=False)
    # Organisations already on the platform: kept as they are unless the user asks that
    # the file's code, region code and contact be written onto them.
    update_existing = forms.BooleanField(required=False)

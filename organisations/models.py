import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField
from core.roles import Role
from organisations.scoping import in_unit_scope, subtree_q


class Kind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    SYSTEM = "system", _("Industry system")
    DEPARTMENT = "department", _("Provincial department")
    COUNTY = "county", _("County or district")
    UNIT = "unit", _("Grassroots unit")


# Which kinds may hang below which: the tree of DESIGN.md §2.
ALLOWED_PARENT_KINDS = {
    Kind.PROVINCE: frozenset(),
    Kind.CITY: frozenset({Kind.PROVINCE}),
    Kind.SYSTEM: frozenset({Kind.PROVINCE}),
    Kind.DEPARTMENT: frozenset({Kind.PROVINCE}),
    # 省直管县 hang directly below the province.
    Kind.COUNTY: frozenset({Kind.PROVINCE, Kind.CITY}),
    Kind.UNIT: frozenset({Kind.PROVINCE, Kind.CITY, Kind.SYSTEM, Kind.DEPARTMENT, Kind.COUNTY}),
}
ASSOCIATION_KINDS = frozenset({Kind.CITY, Kind.SYSTEM, Kind.DEPARTMENT, Kind.COUNTY})


class Sector(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    SCHOOL = "school", _("School")
    VILLAGE = "village", _("Village")
    AGENCY = "agency", _("Government agency")
    COMMUNITY = "community", _("Community")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    PENDING = "pending", _("Awaiting approval")
    REFUSED = "refused", _("Refused")


region_code_validator = RegexValidator(
    r"^\d{6}$", _("The administrative region code has six digits (GB/T 2260), e.g. 130102."), code="region_code"
)


def validate_current_region(value: str) -> None:
    """A code of the GB/T 2260 list in force (organisations.regions), not merely six digits."""
    from organisations.regions import is_current

    if re.fullmatch(r"\d{6}", value or "") and not is_current(value):
        raise ValidationError(
            _("%(code)s is not an administrative region code in force (GB/T 2260). Check it, e.g. 130102 for 长安区.")
            % {"code": value},
            code="region_unknown",
        )


# 统一社会信用代码 (GB 32100): 18 digits and capital letters, without I, O, S, V, Z; the last
# one is a check digit, checked by python-stdnum.
code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{18}$",
    _("The code has 18 digits and capital letters (统一社会信用代码, GB 32100), e.g. 12130000MB1234567Q."),
    code="organisation_code",
)


def validate_uscc_check_digit(value: str) -> None:
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum
    from stdnum.exceptions import ValidationError as NumberError

    if not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", value or ""):
        return  # code_validator says what is wrong with the form
    try:
        uscc.validate(value)
    except InvalidChecksum:
        raise ValidationError(
            _(
                "This 统一社会信用代码 does not check out: its last character does not fit the others. Copy it again from the certificate."
            ),
            code="organisation_code_checksum",
        ) from None
    except NumberError:
        raise ValidationError(code_validator.message, code="organisation_code") from None


# A mobile number (11 digits from 1), or a landline with its area code (0311-86012345, an
# extension after a further dash); spaces and dashes as people type them.
phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    _("Enter a mobile number (11 digits from 1) or a landline with its area code, e.g. 0311-86012345."),
    code="phone",
)


def validate_official_name(value: str) -> None:
    """An official name: no control or invisible characters, no emoji or pictographs."""
    for char in value or "":
        category = unicodedata.category(char)
        if category[0] == "C" or category == "So" or (category == "Sk" and ord(char) > 0x2000):
            raise ValidationError(
                _("Write the name as on the unit's seal: no emoji, symbols or invisible characters (“%(char)s”).")
                % {"char": char if category[0] != "C" else f"U+{ord(char):04X}"},
                code="name_characters",
            )


class PathField(models.CharField):
    """A materialised path, compared byte by byte on every database: subtree_q depends
    on "/" sorting right before "0", which a linguistic collation (zh_CN, en_US) breaks."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The organisations `user` may see: the whole tree for the province and the
        system administrator, its own subtree for an association, itself for a unit,
        nothing for anyone else. Every page, count and export starts here."""
        if user.is_authenticated and user.is_active and user.role == Role.SYSTEM_ADMIN:
            return self
        return in_unit_scope(self, user, unit="")

    def units(self):
        return self.filter(kind=Kind.UNIT)

    def associations(self):
        return self.filter(kind__in=ASSOCIATION_KINDS)

    def active(self):
        return self.filter(status=Status.ACTIVE)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def top_areas(self):
        """The cities, industry systems, provincial departments and province-administered
        counties (定州市, 辛集市) right below the province: what lists filter by as areas."""
        return self.filter(kind__in=ASSOCIATION_KINDS, depth=1)

    def in_official_order(self):
        """By GB/T 2260 code, as official lists go (石家庄市 130100 before 唐山市 130200,
        定州市 130682 among them); organisations without a code (industry systems,
        departments, units) after them, by name."""
        return self.annotate(
            without_code=models.Case(models.When(region_code="", then=models.Value(1)), default=models.Value(0))
        ).order_by("without_code", "region_code", "name", "pk")

    def within(self, organisation):
        """`organisation` and everything below it."""
        return self.within_path(organisation.path)

    def within_path(self, path: str):
        return self.filter(subtree_q(path))


class Organisation(models.Model):
    """A node of the organisation tree: province, city, industry system, provincial
    department, county or grassroots unit.

    `path` is the chain of primary keys from the root ("1/5/27/"), so a whole subtree
    is one indexed prefix query, whatever its depth or size.
    """

    name = models.CharField(_("name"), max_length=200, validators=[validate_official_name])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = PathField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[code_validator, validate_uscc_check_digit],
        help_text=_("18 digits and capital letters; leave empty when the organisation has none."),
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region_code = models.CharField(
        _("region code"), max_length=6, blank=True, validators=[region_code_validator, validate_current_region]
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    # Often the contact person's own mobile: sealed at rest, shown masked (core.pii).
    contact_phone = EncryptedCharField(_("contact phone"), max_length=30, blank=True, validators=[phone_validator])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="org_path_idx"),
            # Covers the counts of a subtree's units by state without reading the table.
            models.Index(fields=["kind", "status", "path"], name="org_kind_status_path_idx"),
            models.Index(fields=["parent", "name"], name="org_parent_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind="unit") | Q(sector=""), name="org_sector_only_for_units"),
            models.CheckConstraint(
                condition=Q(kind="province") | Q(parent__isnull=False), name="org_parent_required_below_province"
            ),
            # Empty means "no code": only given codes must be unique.
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="org_code_unique_when_given"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Also a CheckConstraint; checked here first so the message names the field.
        if self.kind == Kind.UNIT and not self.sector:
            raise ValidationError({"sector": _("A grassroots unit must have a sector.")})
        if self.kind != Kind.UNIT and self.sector:
            raise ValidationError({"sector": _("Only grassroots units have a sector.")})
        errors = {}
        if self.parent_id and self.name:
            twins = Organisation.objects.filter(parent_id=self.parent_id, name=self.name.strip())
            if twins.exclude(pk=self.pk).exclude(status=Status.REFUSED).exists():
                errors["name"] = _("%(parent)s already has an organisation of this name.") % {
                    "parent": self.parent.name
                }
        parent_region = self.parent.region_code if self.parent_id else ""
        if self.region_code and parent_region:
            from organisations.regions import lies_within

            # A unit has the code of its county or city; a division below its parent, a code of its own.
            inside = lies_within(self.region_code, parent_region)
            if not inside or (self.kind != Kind.UNIT and self.region_code == parent_region):
                errors["region_code"] = _("%(code)s does not lie within %(parent)s (%(parent_code)s).") % {
                    "code": self.region_code,
                    "parent": self.parent.name,
                    "parent_code": parent_region,
                }
        if "region_code" not in errors and self.region_code and self.kind != Kind.UNIT:
            holder = (
                Organisation.objects.filter(region_code=self.region_code)
                .exclude(kind=Kind.UNIT)
                .exclude(pk=self.pk)
                .exclude(status=Status.REFUSED)
                .first()
            )
            if holder is not None:
                errors["region_code"] = _("%(code)s is already the code of %(holder)s.") % {
                    "code": self.region_code,
                    "holder": holder.name,
                }
        if errors:
            raise ValidationError(errors)

    @property
    def is_unit(self) -> bool:
        return self.kind == Kind.UNIT

    @property
    def is_association(self) -> bool:
        return self.kind in ASSOCIATION_KINDS

    def ancestor_ids(self) -> list[int]:
        """The keys from the root down to the parent, read off the path without a query."""
        return [int(part) for part in self.path.split("/") if part][:-1]

    def contains(self, other) -> bool:
        return bool(self.path) and other.path.startswith(self.path)

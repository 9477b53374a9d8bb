from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import PROVINCE_ROLES, Role
from core.crypto import EncryptedCharField


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

# 统一社会信用代码 (GB 32100) or 组织机构代码: 18 digits and capital letters, without I, O, S, V, Z.
code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{18}$",
    _("The code has 18 digits and capital letters (统一社会信用代码, GB 32100), e.g. 12130000MB1234567X."),
    code="organisation_code",
)


def subtree_q(path: str, prefix: str = "") -> Q:
    """Everything at or below `path`, as an index range rather than LIKE.

    Paths hold only digits and "/", and "0" is the character right after "/", so every
    path that starts with "1/2/" sorts in ["1/2/", "1/20"). Both SQLite and PostgreSQL
    answer a range from a plain B-tree index; SQLite never uses one for Django's LIKE."""
    return Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": path[:-1] + "0"})


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
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PROVINCE_ROLES or user.role == Role.SYSTEM_ADMIN:
            return self
        if user.role == Role.ASSOCIATION and user.organisation_id:
            return self.filter(subtree_q(user.organisation.path))
        if user.role == Role.UNIT and user.organisation_id:
            return self.filter(pk=user.organisation_id)
        return self.none()

    def units(self):
        return self.filter(kind=Kind.UNIT)

    def associations(self):
        return self.filter(kind__in=ASSOCIATION_KINDS)

    def active(self):
        return self.filter(status=Status.ACTIVE)

    def pending(self):
        return self.filter(status=Status.PENDING)

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

    name = models.CharField(_("name"), max_length=200)
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
        validators=[code_validator],
        help_text=_("18 digits and capital letters; leave empty when the organisation has none."),
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region_code = models.CharField(_("region code"), max_length=6, blank=True, validators=[region_code_validator])
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    # Often the contact person's own mobile: sealed at rest, shown masked (core.pii).
    contact_phone = EncryptedCharField(_("contact phone"), max_length=30, blank=True)
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

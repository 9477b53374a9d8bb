"""Reads of a unit's materials that pages and other apps share.

Without `viewer` a selector answers for the platform itself (an application snapshot,
a report); a page passes the signed-in user as `viewer`, and the answer is then also
limited to Material.objects.visible_to(viewer).
"""

from collections import defaultdict

from django.db.models import Prefetch

from materials.models import Kind, Material, MaterialVersion


def _base(viewer):
    return Material.objects.visible_to(viewer) if viewer is not None else Material.objects.all()


def materials_for(*, unit, campaign, kind=None, indicator=None, viewer=None, with_history=False):
    """The current (not removed) materials of `unit` for `campaign`, oldest first,
    optionally of one `kind` and for one `indicator`, each with `current_version`
    loaded in the same query. `with_history` also loads every version, newest first,
    as `material.history`, in one more query for the whole list. No per-row queries."""
    materials = _base(viewer).current().filter(unit=unit, campaign=campaign).select_related("current_version")
    if kind is not None:
        materials = materials.filter(kind=kind)
    if indicator is not None:
        materials = materials.filter(indicator=indicator)
    if with_history:
        materials = materials.prefetch_related(
            Prefetch("versions", queryset=MaterialVersion.objects.order_by("-number"), to_attr="history")
        )
    return materials.order_by("created_at", "pk")


def work_summary_for(*, unit, campaign, viewer=None, with_history=False) -> Material | None:
    """The unit's current work summary for `campaign`, or None; at most one exists."""
    return materials_for(
        unit=unit, campaign=campaign, kind=Kind.WORK_SUMMARY, viewer=viewer, with_history=with_history
    ).first()


def latest_versions_for(*, unit, campaign, kind=None, indicator=None, viewer=None):
    """The current version of each current material that materials_for() lists, with
    its material loaded: what an application snapshot records (by version id) when the
    unit submits. One query."""
    materials = materials_for(unit=unit, campaign=campaign, kind=kind, indicator=indicator, viewer=viewer)
    return (
        MaterialVersion.objects.filter(pk__in=materials.values("current_version"))
        .select_related("material")
        .order_by("material__created_at", "material_id")
    )


def evidence_by_indicator(*, unit, campaign, viewer=None) -> dict[int, list[Material]]:
    """The unit's current evidence for `campaign`, as {indicator id: [materials]}, in one
    query for the whole standard. Feed one entry to materials/includes/indicator_evidence.html
    per indicator (the `evidence_for` filter of `{% load materials %}` picks it)."""
    grouped = defaultdict(list)
    for material in materials_for(unit=unit, campaign=campaign, kind=Kind.EVIDENCE, viewer=viewer):
        grouped[material.indicator_id].append(material)
    return dict(grouped)


def versions_of(material: Material):
    """Every version of `material`, newest first."""
    return material.versions.order_by("-number")


def _snapshot_item(material: Material) -> dict:
    version = material.current_version
    return {
        "material": material.pk,
        "version": version.pk,
        "number": version.number,
        "title": material.title,
        "name": version.original_name,
        "size": version.size,
        "content_type": version.content_type,
        "sha256": version.sha256,
    }


def snapshot_files_for(*, unit, campaign) -> dict:
    """The unit's current files for `campaign` as plain data an application snapshot can
    keep: {"work_summary": item or None, "supporting": [item, …], "evidence": [item with
    "indicator", …]}, oldest first, where an item names the current MaterialVersion
    ("version": its id, for materials:version-download; "number", "name", "title",
    "size", "content_type", "sha256", "material"). Versions are never changed or
    deleted, so every id recorded here stays downloadable. One query."""
    files = {"work_summary": None, "supporting": [], "evidence": []}
    for material in materials_for(unit=unit, campaign=campaign):
        item = _snapshot_item(material)
        if material.kind == Kind.WORK_SUMMARY:
            files["work_summary"] = item
        elif material.kind == Kind.SUPPORTING:
            files["supporting"].append(item)
        else:
            files["evidence"].append({**item, "indicator": material.indicator_id})
    return files

"""The inspection report reads like an office's document whatever the team: with nine
inspectors of long names, no two words of the PDF are drawn over each other (the words'
boxes, read back from the PDF with pdfplumber, do not intersect)."""

from io import BytesIO

import pdfplumber

from campaigns.models import Campaign
from inspections import documents
from inspections.models import Inspector
from inspections.services import scoring
from tests.applications import factories as application_factories
from tests.inspections import factories

LONG_NAMES = [
    "欧阳诸葛司马上官长名专家",
    "Konstantinopolskaya-Alexandrovna",
    "慕容皇甫令狐东方长名专家",
    "Wolfeschlegelsteinhausen",
    "公孙长孙宇文尉迟长名专家",
    "司徒司空端木百里长名专家",
    "Papadopoulou-Charalambous",
    "夏侯闻人澹台公冶长名专家",
    "呼延赫连拓跋万俟长名专家",
]


def _overlaps(words, tolerance=0.5):
    """Pairs of words whose boxes intersect by more than `tolerance` points each way."""
    found = []
    ordered = sorted(words, key=lambda w: w["x0"])
    for index, word in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other["x0"] >= word["x1"] - tolerance:
                break
            vertical = min(word["bottom"], other["bottom"]) - max(word["top"], other["top"])
            horizontal = min(word["x1"], other["x1"]) - max(word["x0"], other["x0"])
            if vertical > tolerance and horizontal > tolerance:
                found.append((word["text"], other["text"]))
    return found


def test_report_pdf_draws_no_word_over_another_with_nine_inspectors_of_long_names(world):
    Campaign.objects.filter(pk=application_factories.campaign().pk).update(team_size=9)
    team = factories.pool(world, 9)
    for inspector, name in zip(team, LONG_NAMES, strict=True):
        Inspector.objects.filter(pk=inspector.pk).update(name=name, employer="河北省某某大学心理健康教育与咨询中心")
    inspection = factories.planned(world, team=[Inspector.objects.get(pk=i.pk) for i in team])
    for sheet in inspection.sheets.select_related("inspector__user"):
        factories.score_sheet(sheet, 5)
    scoring.finalise_inspection(actor=world.inspector, inspection=inspection)
    inspection.refresh_from_db()

    with pdfplumber.open(BytesIO(documents.report_pdf(inspection))) as pdf:
        problems = {}
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(use_text_flow=True, split_at_punctuation=False)
            overlapping = _overlaps(words)
            if overlapping:
                problems[number] = overlapping[:5]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert problems == {}
    # Every name is there, and whole: wrapped inside its own column, not cut off.
    assert all(name.replace("-", "") in text.replace("\n", "").replace("-", "") for name in LONG_NAMES[:2])

"""Every paper of one person, from the source pool to official member, on the path that has
the most of them (a branch under a partial committee: 7-KNĐ and 14-KNĐ too), generated from
the record as PDF and Word, and the whole dossier as one PDF with its table of contents."""
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from recruitment import papers, services
from recruitment.papers import dossier

from .conftest import partial_route, step_of
from .paper_text import docx_text, pdf_text

pytestmark = pytest.mark.django_db
# A Youth Union member (4-KNĐ), so not 4A-KNĐ; no removal.
NOT_ON_THIS_PATH = {"4a-knd", "xoa-ten"}


def walk_partial_route(users, tree, walk, branch_members):
    person, appraiser, overrides = partial_route(users, tree, branch_members,
                                                 citizen_id="001196012345",
                                                 full_name="Vũ Thị Lan")
    walk(person, until="grassroots_resolution", overrides=overrides)
    services.perform("partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2024, 6, 15),
                     data={"note": "Đủ điều kiện", "document_number": "3-BC/ĐUBP"})
    _who, day, data = step_of(branch_members, "grassroots_resolution")
    services.perform("grassroots_resolution", candidate=person, actor=users.office,
                     event_date=day, data=data)
    walk(person, until="recognition_vote", overrides=overrides,
         start_after="grassroots_resolution")
    services.perform("probation_review", candidate=person, actor=users.secretary,
                     event_date=date(2025, 7, 25), data={})
    walk(person, until="recognition_resolution", overrides=overrides,
         start_after="record_new_member_certificate")
    services.perform("recognition_partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2025, 8, 10),
                     data={"document_number": "4-BC/ĐUBP", "note": "Đủ tiêu chuẩn"})
    person.refresh_from_db()
    return person


@pytest.fixture
def lan(users, tree, walk, branch_members):
    person = walk_partial_route(users, tree, walk, branch_members)
    # The last steps (recognition resolution and decision) of the script.
    for action in ("recognition_resolution", "approve_recognition"):
        who, day, data = step_of(branch_members, action)
        services.perform(action, candidate=person, actor=getattr(users, who), event_date=day,
                         data=data)
        person.refresh_from_db()
    return person


def test_every_paper_of_one_person_comes_out_of_the_record(lan):
    assert lan.stage == "official"
    recorded = [p.slug for p in dossier.recorded(lan)]
    assert recorded == [s for s in papers.ORDER if s not in NOT_ON_THIS_PATH]
    for p in dossier.recorded(lan):
        for text in (pdf_text(papers.render_pdf(p, lan)), docx_text(papers.render_docx(p, lan))):
            assert "Vũ Thị Lan" in text, p.slug
            assert "None" not in text, p.slug


def test_the_dossier_pdf_has_every_paper_after_its_table_of_contents(lan):
    content, pages = dossier.dossier_pdf(lan)
    assert len(PdfReader(BytesIO(content)).pages) == pages
    text = pdf_text(content)
    contents = text[:text.index("ĐẢNG CỘNG SẢN VIỆT NAM", 100)]
    for p in dossier.recorded(lan):
        assert p.title in contents, p.slug

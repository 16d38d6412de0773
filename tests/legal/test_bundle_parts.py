"""The checklist and proportionality parts the court bundle prints: (title, safe HTML) or None."""

import datetime

from openincome.cases.models import Contact
from openincome.ledger.models import Tenancy
from openincome.legal import actions, documents
from openincome.legal.queries import checklist_for_bundle, proportionality_for_bundle

from .conftest import NOTES
from .test_documents import flat

ON = datetime.date(2026, 11, 20)


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


def test_none_without_records(officer):
    assert checklist_for_bundle(ex1(), ON) is None
    assert proportionality_for_bundle(ex1(), ON) is None


def test_the_checklist_part_holds_each_step_its_evidence_and_its_note(officer):
    Contact.objects.create(tenancy=ex1(), date=datetime.date(2026, 11, 2), channel="phone",
                           direction="outbound", outcome="spoke_to_tenant", officer=officer)
    notes = {**NOTES, "adr": "Offered <b>mediation</b> & a meeting"}
    actions.complete_checklist(ex1(), officer, completed=ON, notes=notes, as_of=ON)
    title, html = checklist_for_bundle(ex1(), ON)
    assert title == "Pre-action protocol checklist"
    assert "Completed on 20 November 2026 by officer1" in html
    assert "Alternative dispute resolution considered" in html
    assert "spoke to the tenant (2 November 2026)" in html
    # The officer's words are escaped: the fragment stays safe.
    assert "Offered &lt;b&gt;mediation&lt;/b&gt; &amp; a meeting" in html
    assert checklist_for_bundle(ex1(), ON - datetime.timedelta(days=1)) is None


def test_the_proportionality_part_holds_the_latest_assessment_of_each_step(officer):
    for day, reasoning in ((datetime.date(2026, 10, 1), "Older"), (ON, "Newer <i>")):
        actions.record_assessment(ex1(), officer, escalation="serve_notice", assessed=day,
                                  vulnerability="Mobility needs", effect="Slower contact",
                                  alternatives="Plan offered", reasoning=reasoning,
                                  proportionate=True, as_of=ON)
    title, html = proportionality_for_bundle(ex1(), ON)
    assert title == "Proportionality and equality assessment"
    assert "Serve a notice" in html and "Newer &lt;i&gt;" in html and "Older" not in html
    assert "Mobility needs" in html and "Conclusion: proportionate" in html


def test_the_court_bundle_prints_the_checklist_and_the_assessment(officer):
    actions.complete_checklist(ex1(), officer, completed=ON, notes=NOTES, as_of=ON)
    actions.record_assessment(ex1(), officer, escalation="serve_notice", assessed=ON,
                              vulnerability="Mobility needs", effect="Slower contact",
                              alternatives="Plan offered", reasoning="Arrears still rising",
                              proportionate=True, as_of=ON)
    text = flat(documents.bundle_pdf(ex1(), ON))
    assert ". Pre-action protocol checklist" in text  # a numbered part, not only the contents
    assert ". Proportionality and equality assessment" in text
    assert "Arrears still rising" in text and "Mobility needs" in text


def test_the_bundle_prints_letters_and_contacts_the_imported_history_records(officer):
    from openincome.ledger.models import RecordedAction

    for day, code, channel in ((datetime.date(2026, 3, 2), "letter_1_sent", "letter"),
                               (datetime.date(2026, 4, 6), "court_warning_sent", ""),
                               (datetime.date(2026, 3, 9), "contact_attempted", "phone"),
                               (datetime.date(2026, 5, 11), "contact_made", "visit")):
        RecordedAction.objects.create(tenancy=ex1(), date=day, code=code, channel=channel,
                                      note="Imported")
    text = flat(documents.bundle_pdf(ex1(), ON))
    letters = text[text.index(". Letters sent"):]
    assert "2 March 2026" in letters and "Letter 1 sent" in letters
    assert "6 April 2026" in letters and "Court warning sent" in letters
    assert "Recorded in the account history (no copy held)" in letters
    contacts = text[text.index(". Contacts"):text.index(". Letters sent")]
    assert "9 March 2026" in contacts and "Contact attempted" in contacts
    assert "11 May 2026" in contacts and "Contact made" in contacts


def test_a_contact_logged_in_the_app_is_printed_once(officer):
    from openincome.cases.actions import record_contact

    record_contact(ex1(), officer, date=datetime.date(2026, 11, 2), channel="phone",
                   direction="outbound", outcome="spoke_to_tenant", note="Talked it over",
                   as_of=ON)
    _, html = documents.section_contacts(ex1(), ON)
    assert html.count("2 November 2026") == 1


def test_the_bundle_prints_the_approvals_asked_decided_and_used(officer, leader):
    from .conftest import make_ready

    make_ready("EX-0001", "serve_notice", ON, officer, leader)
    text = flat(documents.bundle_pdf(ex1(), ON))
    part = text[text.index(". Approvals"):]
    assert "Serve a notice" in part and "20 November 2026 by officer1" in part
    assert "Approved on 20 November 2026 by leader1: Proportionate" in part

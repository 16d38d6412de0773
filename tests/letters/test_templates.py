"""Templates: the defaults, the safe language, the context, versions and statements."""

import datetime

import pytest

from openincome.ledger.models import Tenancy
from openincome.letters.context import build_context, statement_context
from openincome.letters.defaults import DEFAULTS
from openincome.letters.models import Template
from openincome.letters.render import TemplateError, check, fill, render

from .conftest import AS_OF

pytestmark = pytest.mark.django_db

ISSUE_TEMPLATES = {
    ("reminder", "sms"), ("reminder", "email"), ("letter_1", "letter"), ("letter_2", "letter"),
    ("pre_action", "letter"), ("agreement_confirmation", "letter"),
    ("agreement_breach", "letter"), ("court_warning", "letter"), ("order_breach", "letter"),
    ("hearing_notice", "letter"), ("quarterly_statement", "letter"),
    ("full_statement", "letter"), ("former_tenant_arrears", "letter"),
    ("refund_of_credit", "letter"),
}


def test_every_template_the_issue_lists_is_shipped_at_version_1():
    shipped = set(Template.objects.values_list("code", "channel"))
    assert shipped >= ISSUE_TEMPLATES
    assert len(shipped) == len(DEFAULTS)
    for template in Template.objects.all():
        assert template.current().number == 1
        check(template.current().body, template.channel)


@pytest.mark.parametrize("body", [
    "{% load static %}{% static 'x' %}", "{% include 'web/base.html' %}",
    "{% extends 'web/base.html' %}", "{% debug %}", "{% now 'Y' %}", "{% csrf_token %}",
    "{% url 'home' %}",
])
def test_the_language_refuses_tags_that_reach_outside_the_context(body):
    with pytest.raises(TemplateError):
        check(body)


def test_a_broken_template_is_refused_in_words():
    with pytest.raises(TemplateError, match="mistake"):
        check("{% if balance %}no end")


def test_context_is_plain_values_only(landlord):
    context = build_context(Tenancy.objects.get(tenancy_ref="EX-0002"), AS_OF,
                            statement="full")

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | bool)

    assert plain(context)
    # An attribute lookup finds nothing beyond the plain values (no model to walk through).
    assert fill("{{ tenant.tenancy }}{{ landlord.objects }}{{ statement.lines.0.delete }}",
                context) == ""


def test_letter_1_says_the_figures_and_how_to_pay(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    tenant = tenancy.tenants.get()
    version = Template.objects.get(code="letter_1", channel="letter").current()
    context = build_context(tenancy, AS_OF, tenant)
    out = render("letter", version.subject, version.body, context)
    assert context["arrears"] in out.text and context["arrears"].startswith("£")
    for needed in ("Sam Patel", "PAY000002", "2 Elm Road", "NN1 1AA", "Example Homes",
                   "Direct Debit", "Citizens Advice", context["arrears"]):
        assert needed in out.html, needed


def test_the_wording_cannot_inject_html_into_a_letter(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    out = render("letter", "s", "<script>alert(1)</script> {{ tenant.name }}",
                 build_context(tenancy, AS_OF))
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html


def test_statement_adds_up_payments_by_type_with_a_running_balance(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    since = datetime.date(2025, 6, 1)
    st = statement_context(tenancy, since, datetime.date(2025, 6, 30))
    # Five weekly rents of £98.40 (2 to 30 June 2025) and four Direct Debits of £98.40.
    assert st["charges_total"] == "£492.00" and st["payments_total"] == "£393.60"
    assert st["payments"] == [{"type": "Direct Debit payment", "amount": "£393.60"}]
    assert [x["balance"] for x in st["lines"][:2]] == ["£98.40", "£0.00"]
    assert st["opening"] == "£0.00" and st["closing_words"] == "£98.40 owed"


def test_an_edit_is_a_new_audited_version_and_the_old_one_stays(landlord):
    from openincome.audit.models import AuditEvent
    from openincome.letters.actions import edit_template

    template = Template.objects.get(code="letter_1", channel="letter")
    first = template.current()
    new = edit_template(template, "admin-test", subject="Rent owed",
                        body="You owe {{ arrears }}.", note="Shorter")
    assert (new.number, template.current().pk) == (2, new.pk)
    first.refresh_from_db()
    assert "Citizens Advice" in first.body
    event = AuditEvent.objects.get(action="template_edited")
    assert event.details == {"version": 2, "previous": 1} and event.why == "Shorter"
    with pytest.raises(TemplateError):
        edit_template(template, "admin-test", subject="x", body="{% now 'Y' %}", note="n")
    with pytest.raises(ValueError, match="same"):
        edit_template(template, "admin-test", subject="Rent owed",
                      body="You owe {{ arrears }}.", note="again")
    assert template.versions.count() == 2


def test_revised_default_wording_reaches_untouched_templates_and_spares_edited_ones(landlord):
    from openincome.letters.actions import edit_template
    from openincome.letters.defaults import refresh_defaults
    from openincome.letters.models import TemplateVersion

    # An older database: the email's newest version is the old default wording, while an
    # administrator has reworded the letter.
    email = Template.objects.get(code="letter_1", channel="email")
    TemplateVersion.objects.create(template=email, number=2, subject="Rent owed",
                                   body="The old default wording.", note="The default wording")
    letter = Template.objects.get(code="letter_1", channel="letter")
    edited = edit_template(letter, "admin-test", subject="Rent owed",
                           body="You owe {{ arrears }}.", note="Shorter")
    assert refresh_defaults(Template, TemplateVersion) == 1
    default = next(d for d in DEFAULTS if d[:2] == ("letter_1", "email"))
    assert (email.current().number, email.current().body) == (3, default[7])
    assert letter.current().pk == edited.pk
    assert refresh_defaults(Template, TemplateVersion) == 0

"""The web edge refuses what import and the command line refuse, with GOV.UK messages, never a 500.

Query-string dates out of range, NUL bytes in addresses, refs outside the pattern, control
characters and absurd amounts in forms, and formula cells in the worklist CSV.
"""

import csv
import io

import pytest

from openincome.cases.models import WorklistEntry, WorklistRun
from openincome.cases.nightly import run_nightly
from openincome.ledger.limits import NOTE_MAX_LENGTH
from openincome.web.dates import RANGE_ERROR
from openincome.web.forms import REF_CHARACTERS, BenefitForm, ContactForm, DetailsForm, PauseForm
from openincome.web.forms_admin import PatchAddForm, UserAddForm, UserEditForm

from .conftest import AS_OF

pytestmark = pytest.mark.django_db

AS_OF_PAGES = ["/worklist/", "/worklist/programme/", "/tenancies/", "/tenancies/EX-0002/"]


@pytest.mark.parametrize("url", AS_OF_PAGES)
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_an_as_of_outside_1900_to_2199_shows_the_error_message(leader, url, as_of):
    run_nightly(AS_OF)
    response = leader.get(url, {"as_of": as_of})
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text or "govuk-error-message" in text
    assert RANGE_ERROR in text


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_building_a_worklist_outside_the_range_is_refused(leader, as_of):
    response = leader.post("/worklist/build/", {"as_of": as_of}, follow=True)
    assert RANGE_ERROR in response.content.decode()
    assert not WorklistRun.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/search/?q=%00", "/search/?q=ab%00cd", "/tenancies/?q=%00", "/worklist/?officer=%00",
     "/worklist/?patch=EAST%00", "/tenancies/EX%00/", "/admin/users/x%00/"],
)
def test_a_nul_byte_in_the_address_gets_a_400_page_not_a_500(leader, url):
    response = leader.get(url)
    assert response.status_code == 400
    assert "there is a problem with the web address" in response.content.decode()


def test_search_still_works_with_ordinary_text(officer):
    assert officer.get("/search/", {"q": "EX-0002"}).status_code == 200


FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+1", "-1+cmd|'/C calc'!A0", "@SUM(A1)"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_worklist_csv_download_prefixes_formula_cells(leader, formula):
    run = run_nightly(AS_OF)
    WorklistEntry.objects.filter(run=run).update(patch=formula)
    response = leader.get("/worklist/", {"as_of": AS_OF.isoformat(), "patch": "all",
                                         "tab": "all", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and all(row["patch"] == "'" + formula for row in rows)
    # Amounts, negative ones included, stay numbers.
    assert all(not row["balance"].startswith("'") for row in rows)


def _field_errors(form, field: str) -> list[str]:
    form.is_valid()
    return form.errors.get(field, [])


REF_FORMS = [
    (BenefitForm, {}, "claim_ref", "Claim reference"),
    (PatchAddForm, {}, "code", "Patch code"),
    (UserAddForm, {}, "username", "Username"),
]


@pytest.mark.parametrize(("form_class", "kwargs", "field", "label"), REF_FORMS)
@pytest.mark.parametrize("value", ["UC/9", "UC 9", "UC-9\u200b", "\ufeffUC9", "UC9\x07", "-UC9"])
def test_reference_fields_refuse_characters_outside_the_pattern(
    db, form_class, kwargs, field, label, value
):
    errors = _field_errors(form_class(data={field: value}, **kwargs), field)
    assert errors == [f"{label} must only include {REF_CHARACTERS}"]


@pytest.mark.parametrize(("form_class", "kwargs", "field", "label"), REF_FORMS)
def test_reference_fields_accept_the_pattern(db, form_class, kwargs, field, label):
    assert _field_errors(form_class(data={field: "Ab9.x-y_z"}, **kwargs), field) == []


TEXT_FIELDS = [
    (ContactForm, {}, "note", "Note"),
    (PauseForm, {}, "note", "Why"),
    (BenefitForm, {}, "note", "Note"),
    (DetailsForm, {}, "why", "Why are you changing this"),
    (DetailsForm, {}, "language", "Language"),
    (PatchAddForm, {}, "name", "Name"),
    (UserAddForm, {}, "first_name", "First name"),
]


@pytest.mark.parametrize(("form_class", "kwargs", "field", "label"), TEXT_FIELDS)
@pytest.mark.parametrize("bad", ["\x07", "\x1b[2J", "\u200b", "\ufeff", "\u202e"])
def test_free_text_refuses_control_and_invisible_characters(db, form_class, kwargs, field,
                                                            label, bad):
    errors = _field_errors(form_class(data={field: f"Paid{bad} today"}, **kwargs), field)
    assert errors == [f"{label} must not include invisible or control characters"]


@pytest.mark.parametrize(("form_class", "kwargs", "field", "label"), TEXT_FIELDS)
def test_free_text_keeps_line_breaks_and_accents(db, form_class, kwargs, field, label):
    value = "Zoë paid;\r\nsaid: “Friday”" if field in ("note", "why") else "Zoë"
    assert _field_errors(form_class(data={field: value}, **kwargs), field) == []


def test_every_free_text_field_of_every_form_is_bounded_and_refuses_control_characters(db):
    from django import forms as djforms
    from django.core.exceptions import ValidationError

    from openincome.web import forms, forms_admin

    for module in (forms, forms_admin):
        for form_class in vars(module).values():
            if not (isinstance(form_class, type) and issubclass(form_class, djforms.Form)):
                continue
            for name, field in form_class.base_fields.items():
                # E-mail, phone (RegexField) and choice fields have stricter rules of their own;
                # a password may hold anything.
                if type(field) is not djforms.CharField or isinstance(
                    field.widget, djforms.PasswordInput
                ):
                    continue
                where = f"{form_class.__name__}.{name}"
                assert field.max_length is not None and field.max_length <= NOTE_MAX_LENGTH, where
                with pytest.raises(ValidationError):
                    field.clean("Paid\x1b[2J today")


def test_user_edit_form_refuses_control_characters_in_names(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("someone")
    form = UserEditForm(data={"first_name": "A\x1bB"}, user=user, editor=user)
    assert _field_errors(form, "first_name") == [
        "First name must not include invisible or control characters"
    ]


@pytest.mark.parametrize(("amount", "ok"), [("1000000.00", True), ("1000000.01", False),
                                             ("99999999.99", False)])
def test_benefit_amount_above_a_million_pounds_is_refused(db, amount, ok):
    errors = _field_errors(BenefitForm(data={"expected_amount": amount}), "expected_amount")
    assert errors == ([] if ok else ["The amount must be £1,000,000.00 or less"])

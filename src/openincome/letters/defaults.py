"""The templates a new landlord starts with, in plain English (loaded by a data migration and
by `load_defaults`). Administrators edit them in the app; each edit is a new version.

Every letter also carries, from its layout (letters/templates/letters/letter.html): the
landlord's name and address, the tenant's name and address in the envelope window, the date,
the payment reference, "Dear ...", the signature and the ways to pay. The wording below is
what sits between "Dear ..." and the signature. A blank line starts a new paragraph, a line
starting with "- " is a bullet and a line starting with "# " a heading. The fields are listed
in letters/context.py.
"""

from __future__ import annotations

HELP = (
    "If you are finding it hard to pay, please talk to us. We can help you claim Housing "
    "Benefit, Universal Credit or a Discretionary Housing Payment, and agree a plan to pay "
    "what you owe in amounts you can afford.\n\n"
    "You can also get free, independent debt advice from Citizens Advice or StepChange Debt "
    "Charity, or through the Money Helper service."
)

# (code, channel, name, engine action, ladder code, statement, subject, body)
DEFAULTS: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("reminder", "sms", "Reminder (text message)", "send_reminder", "reminder_sent", "", "",
     "{{ landlord.name }}: your rent account {{ payment_reference }} is {{ arrears }} behind. "
     "Please pay today or call us on {{ landlord.phone }} if you need help."),
    ("reminder", "email", "Reminder (email)", "send_reminder", "reminder_sent", "",
     "Your rent payment is overdue",
     "Dear {{ tenant.salutation }},\n\n"
     "Your rent account for {{ property_address }} is {{ arrears }} behind. Please pay this "
     "as soon as you can, quoting your payment reference {{ payment_reference }}.\n\n"
     "Ways to pay:\n{% for way in landlord.payment_methods %}- {{ way }}\n{% endfor %}\n"
     "If you are finding it hard to pay, call us on {{ landlord.phone }}. We can help.\n\n"
     "{{ landlord.signature }}\n{{ landlord.name }}"),
    ("reminder", "letter", "Reminder (letter)", "send_reminder", "reminder_sent", "",
     "Your rent payment is overdue",
     "# Your rent payment is overdue\n\n"
     "Your rent account is {{ arrears }} behind. Please pay this as soon as you can.\n\n"
     "If you have already paid, thank you, and please ignore this letter.\n\n" + HELP),
    ("letter_1", "letter", "Letter 1", "send_letter_1", "letter_1_sent", "",
     "You owe rent",
     "# You owe {{ arrears }} in rent\n\n"
     "Our records show that on {{ date }} your rent account was {{ arrears }} behind. "
     "Your rent and charges are {{ weekly_charge }} a week.\n\n"
     "Please pay the amount you owe within 7 days, or contact us to agree how you will pay "
     "it.\n\n" + HELP),
    ("letter_1", "email", "Letter 1 (email)", "send_letter_1", "letter_1_sent", "",
     "You owe rent",
     "Dear {{ tenant.salutation }},\n\n"
     "On {{ date }} your rent account for {{ property_address }} was {{ arrears }} behind. "
     "Please pay what you owe within 7 days, quoting your payment reference "
     "{{ payment_reference }}, or call us on {{ landlord.phone }} to agree a plan.\n\n"
     "Ways to pay:\n{% for way in landlord.payment_methods %}- {{ way }}\n{% endfor %}\n"
     + HELP + "\n\n{{ landlord.signature }}\n{{ landlord.name }}"),
    ("letter_2", "letter", "Letter 2", "send_letter_2", "letter_2_sent", "",
     "Your rent arrears are still unpaid",
     "# Your rent arrears are still unpaid\n\n"
     "We wrote to you about your rent arrears. Your account is now {{ arrears }} behind.\n\n"
     "Please contact us within 7 days to talk about what you owe and how you will pay it. "
     "If we do not hear from you, we may have to take further action, which could put your "
     "home at risk.\n\n" + HELP),
    ("pre_action", "letter", "Pre-action letter", "", "", "",
     "Your home could be at risk",
     "# Your home could be at risk\n\n"
     "You owe {{ arrears }} in rent. We want to help you keep your home, and to agree how "
     "this debt will be paid before any court action is needed.\n\n"
     "# What we would like to discuss with you\n\n"
     "- why the arrears built up and your circumstances now\n"
     "- whether you can claim Housing Benefit, Universal Credit or a Discretionary Housing "
     "Payment, and any claim you are waiting for\n"
     "- a plan to pay the arrears on top of your rent, in amounts you can afford\n\n"
     "# Get free advice\n\n"
     "Please get free, independent money or debt advice now, from Citizens Advice, "
     "StepChange Debt Charity or Money Helper. They can help you with a budget and your "
     "other debts.\n\n"
     "# If you do not contact us\n\n"
     "If we cannot agree a plan, or a plan is not kept, we may apply to the court for "
     "possession of your home. Please call us on {{ landlord.phone }} within 14 days."),
    ("agreement_confirmation", "letter", "Agreement confirmation", "", "", "",
     "Your agreement to pay your arrears",
     "# Your agreement to pay your arrears\n\n"
     "Thank you for agreeing a plan to pay your rent arrears. This letter confirms what we "
     "agreed.\n\n"
     "{% if agreement %}- You owed {{ agreement.starting_balance }} on "
     "{{ agreement.start_date }}.\n"
     "- You will pay {{ agreement.instalment }} {{ agreement.frequency }} towards the "
     "arrears.\n"
     "- This is on top of your rent and charges of {{ weekly_charge }} a week.\n"
     "- Your first payment under the plan is due by {{ agreement.first_due }}.\n"
     "{% endif %}\n"
     "If you miss a payment, or your circumstances change, please tell us straight away so "
     "that we can look at the plan again."),
    ("agreement_breach", "letter", "Broken agreement letter", "review_breached_agreement",
     "breach_letter_sent", "", "You have not kept to your agreement",
     "# You have not kept to your agreement\n\n"
     "{% if agreement %}You agreed to pay {{ agreement.instalment }} "
     "{{ agreement.frequency }} towards your arrears, on top of your rent. {% endif %}"
     "Your payments are behind that plan and you now owe {{ arrears }}.\n\n"
     "Please pay the missed amount or contact us within 7 days. If your circumstances have "
     "changed we can look at the plan again.\n\n" + HELP),
    ("court_warning", "letter", "Court warning letter", "send_court_warning",
     "court_warning_sent", "", "We intend to apply to the court",
     "# We intend to apply to the court for possession of your home\n\n"
     "{% if notice %}We served a {{ notice.kind }} on {{ notice.served_date }}. {% endif %}"
     "You still owe {{ arrears }} in rent.\n\n"
     "Unless you pay the arrears, or contact us to agree a plan that you keep, we will apply "
     "to the court in 14 days' time. Court action could mean you lose your home and have "
     "to pay court costs.\n\n" + HELP),
    ("order_breach", "letter", "Broken court order letter", "send_order_breach_letter",
     "order_breach_letter_sent", "", "You have not kept to the court order",
     "# You have not kept to the court order\n\n"
     "{% if order %}On {{ order.date }} the court made a {{ order.outcome }}. It says you "
     "must pay {{ order.instalment }} {{ order.frequency }} towards the arrears on top of your "
     "rent. {% endif %}Your payments are behind the order and you now owe {{ arrears }}.\n\n"
     "If you do not pay the missed amount or contact us within 14 days, we may ask the court "
     "to let us evict you. Your home is at risk.\n\n" + HELP),
    ("hearing_notice", "letter", "Notice of hearing", "prepare_for_hearing", "", "full",
     "Your court hearing: your home is at risk",
     "# Your court hearing{% if hearing %} on {{ hearing.date }}{% endif %}\n\n"
     "Your home is at risk. Please go to the hearing.\n\n"
     "{% if hearing %}The hearing of our claim for possession of your home is on "
     "{{ hearing.date }} at {{ hearing.place }}. {% endif %}"
     "We are asking the court for a possession order because of rent arrears of "
     "{{ arrears }}.\n\n"
     "{% if benefits %}What we know of your benefits: {{ benefits }}.\n\n{% endif %}"
     "Free legal advice is available at the court on the day from the Housing Loss "
     "Prevention Advice Service. Your up-to-date rent statement is below.\n\n" + HELP),
    ("quarterly_statement", "letter", "Quarterly rent statement", "", "statement_sent",
     "quarter", "Your rent statement",
     "# Your rent statement\n\n"
     "This statement shows the rent and charges on your account and the payments we "
     "received from {{ statement.from }} to {{ statement.to }}. On {{ statement.to }} your "
     "balance was {{ statement.closing_words }}.\n\n"
     "Please check it and tell us if anything looks wrong."),
    ("full_statement", "letter", "Full rent statement", "", "statement_sent", "full",
     "Your rent statement since your arrears began",
     "# Your rent statement since your arrears began\n\n"
     "This statement shows every charge and payment on your account from "
     "{{ statement.from }}, when your arrears began, to {{ statement.to }}, with the running "
     "balance. On {{ statement.to }} your balance was {{ statement.closing_words }}."),
    ("former_tenant_arrears", "letter", "Former tenant arrears letter", "fta_recovery", "", "",
     "Rent you still owe",
     "# Rent you still owe from your old tenancy\n\n"
     "Your tenancy of {{ property_address }} has ended and you still owe {{ balance }}.\n\n"
     "Please pay this, or contact us within 14 days to agree how you will pay it. If we do "
     "not hear from you we may pass the debt to a collection agency or ask the court for a "
     "money judgment.\n\n" + HELP),
    ("refund_of_credit", "letter", "Refund of credit letter", "refund_review", "", "",
     "Money we owe you",
     "# Money we owe you\n\n"
     "Your rent account for {{ property_address }} is {{ credit }} in credit.\n\n"
     "{% if ended %}As your tenancy has ended, we can refund this to you. {% else %}"
     "You can ask us to refund this money, or leave it on your account to pay future "
     "rent. {% endif %}Please call us on {{ landlord.phone }} with the bank details you "
     "would like us to pay it to. We will never ask for your card details or PIN."),
]


def load_defaults(template_model, version_model) -> int:
    """Create each default template that does not exist yet, at version 1; how many."""
    made = 0
    for code, channel, name, action, recorded, statement, subject, body in DEFAULTS:
        template, created = template_model.objects.get_or_create(
            code=code, channel=channel,
            defaults={"name": name, "engine_action": action, "recorded_code": recorded,
                      "statement": statement})
        if created:
            version_model.objects.create(template=template, number=1, subject=subject,
                                         body=body, note="The default wording")
            made += 1
    return made


def refresh_defaults(template_model, version_model) -> int:
    """Give each default template whose newest version is still untouched default wording
    (no one edited it) today's default wording as a new version; how many. A template an
    administrator has edited keeps their wording."""
    made = 0
    for code, channel, _name, _action, _recorded, _statement, subject, body in DEFAULTS:
        newest = (version_model.objects.filter(template__code=code, template__channel=channel)
                  .order_by("-number").first())
        if newest is None or newest.created_by_id is not None:
            continue
        if not newest.note.startswith("The default wording"):
            continue
        if (newest.subject, newest.body) == (subject, body):
            continue
        version_model.objects.create(template_id=newest.template_id, number=newest.number + 1,
                                     subject=subject, body=body,
                                     note="The default wording, revised")
        made += 1
    return made

"""Legal steps: notices served and possession claims."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import COURT_OUTCOMES, FREQUENCIES, NOTICE_KINDS, choices

SERVICE_METHOD_CHOICES = [("hand", "By hand"), ("post", "By first-class post"),
                          ("left", "Left at the property")]

# The tables below kept the names they had in the ledger app, so moving the models moved no data.


class Notice(models.Model):
    """A notice served on the tenant (NOSP, s128, section 8, notice to quit)."""

    notice_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=choices(NOTICE_KINDS))
    served_date = models.DateField()
    earliest_proceedings_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField(null=True, blank=True)
    # How it was served and the day it counts as served (POLICY.md §6); blank on imported
    # notices, which carry their dates.
    method = models.CharField(max_length=10, choices=SERVICE_METHOD_CHOICES, blank=True)
    deemed_service_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(table_name="ledger_historicalnotice")

    class Meta:
        db_table = "ledger_notice"

    def __str__(self) -> str:
        return self.notice_ref


class CourtCase(models.Model):
    """A possession claim and what the court decided."""

    case_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="court_cases")
    claim_date = models.DateField()
    hearing_date = models.DateField(null=True, blank=True)
    # Where the hearing is (blank on imported cases): letters and the hearing list show it.
    court_name = models.CharField(max_length=200, blank=True)
    hearing_place = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=30, choices=choices(COURT_OUTCOMES), blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    possession_date = models.DateField(null=True, blank=True)
    terms_instalment = models.BigIntegerField(null=True, blank=True, help_text="pence")
    terms_frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES), blank=True)
    warrant_date = models.DateField(null=True, blank=True)
    eviction_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(table_name="ledger_historicalcourtcase")

    class Meta:
        db_table = "ledger_courtcase"

    def __str__(self) -> str:
        return self.case_ref


# --- The pre-action protocol, proportionality and approvals (issue 16 items 1-3) -------------

ESCALATION_CHOICES = [("serve_notice", "Serve a notice"),
                      ("apply_for_court", "Apply to court for possession"),
                      ("apply_for_warrant", "Apply for a warrant of possession")]


class Checklist(models.Model):
    """A completed pre-action protocol checklist: before a notice (notice blank) or before a
    claim on the notice it names. Written once, complete, by `complete_checklist`."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="checklists")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="checklists")
    completed_date = models.DateField()
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"checklist {self.pk} {self.tenancy_id} {self.completed_date}"


class ChecklistStep(models.Model):
    """One protocol step: the evidence on the account it relied on, and the officer's note."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=40)
    # [{"label": ..., "date": "YYYY-MM-DD", "url": ...}] as found on the account when completed.
    evidence = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checklist", "step"],
                                               name="legal_checklist_step_once")]

    def __str__(self) -> str:
        return self.step


class Assessment(models.Model):
    """A proportionality and equality (PSED) assessment before one escalation."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="assessments")
    escalation = models.CharField(max_length=20, choices=ESCALATION_CHOICES)
    assessed_date = models.DateField()
    vulnerability = models.TextField(help_text="vulnerability and protected characteristics known")
    effect = models.TextField(help_text="their effect on the tenant and on the arrears")
    alternatives = models.TextField(help_text="alternatives to the step tried")
    reasoning = models.TextField(help_text="the officer's reasoning")
    proportionate = models.BooleanField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"assessment {self.pk} {self.escalation}"


APPROVAL_STATUSES = [("pending", "Waiting for a decision"), ("approved", "Approved"),
                     ("refused", "Refused"), ("used", "Used")]


class Approval(models.Model):
    """A request to take an escalation, and a team leader's or manager's decision on it."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="approvals")
    escalation = models.CharField(max_length=20, choices=ESCALATION_CHOICES)
    status = models.CharField(max_length=10, choices=APPROVAL_STATUSES, default="pending")
    arrears = models.BigIntegerField(help_text="pence, the arrears (POLICY.md §1) when requested")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_date = models.DateField()
    request_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_date = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # What the approval was used for (a notice or a court case reference).
    used_for = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"approval {self.pk} {self.escalation} {self.status}"
# Court-stage events (issue 16 part B): what a legal tab's timeline shows. The case row keeps
# what the engine reads (hearing date, outcome, terms, warrant, eviction); each change to it,
# and each step the engine does not read (a tenant's N244, a hearing pack), is one event.
COURT_EVENT_KINDS = (
    "hearing_listed", "hearing_pack", "outcome", "adjourned", "possession_date_fixed",
    "n244", "warrant_issued", "eviction_date_set", "evicted", "s125a_extension",
)
COURT_EVENT_LABELS = {
    "hearing_listed": "Hearing listed", "hearing_pack": "Hearing pack prepared",
    "outcome": "Outcome recorded", "adjourned": "Adjourned to a new date",
    "possession_date_fixed": "Possession date fixed", "n244": "Tenant's application (N244)",
    "warrant_issued": "Warrant issued", "eviction_date_set": "Eviction date set",
    "evicted": "Evicted", "s125a_extension": "Trial extended (section 125A notice)",
}


class CourtEvent(models.Model):
    """One dated legal step on a tenancy (most on a court case), with who recorded it."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="court_events")
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="events",
                             null=True, blank=True)
    kind = models.CharField(max_length=30,
                            choices=[(k, COURT_EVENT_LABELS[k]) for k in COURT_EVENT_KINDS])
    date = models.DateField()
    summary = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The hearing pack as it was prepared (the court saw this one, not today's figures).
    pdf = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{COURT_EVENT_LABELS.get(self.kind, self.kind)} {self.date}"

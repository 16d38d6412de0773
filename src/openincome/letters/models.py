"""Letter, SMS and email templates (every edit a new version), what was sent, and the outbox
of the recording notifier."""

from __future__ import annotations

from django.conf import settings
from django.db import models

TEMPLATE_CHANNELS = ("letter", "sms", "email")
# What a sent communication's delivery status can be (GOV.UK Notify's words, plus ours).
STATUSES = ("sending", "delivered", "permanent-failure", "temporary-failure",
            "technical-failure", "failed")
FAILED = ("permanent-failure", "technical-failure", "failed")
STATEMENTS = ("", "quarter", "full")


class LetterDetails(models.Model):
    """What every letter says about the landlord: address, telephone, how to pay (one row)."""

    address = models.TextField(blank=True, help_text="one line per line of the address")
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=200, blank=True)
    payment_methods = models.TextField(blank=True, help_text="one way to pay per line")
    signature = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return "letter details"

    @classmethod
    def current(cls) -> LetterDetails:
        """The one row, or (before an administrator saves any) the defaults, unsaved: reading
        writes nothing."""
        row = cls.objects.order_by("pk").first()
        return row or cls(
            address="Housing Office\nCivic Centre\nHigh Street",
            phone="0300 000 0000",
            payment_methods="Online at our website with your debit card\n"
                            "By Direct Debit: call us to set it up\n"
                            "By bank transfer to our account, quoting your payment reference\n"
                            "At any Post Office or PayPoint with your payment card",
            signature="Income Team",
        )


class Template(models.Model):
    """A kind of communication in one channel (letter 1 as a letter, the reminder as a text)."""

    code = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=[(c, c) for c in TEMPLATE_CHANNELS])
    name = models.CharField(max_length=120)
    # The engine action this answers (send_letter_1 ...), and the ladder code it records.
    engine_action = models.CharField(max_length=40, blank=True)
    recorded_code = models.CharField(max_length=40, blank=True)
    # Letters with a statement table after the text: the last quarter's, or since arrears began.
    statement = models.CharField(max_length=10, blank=True, choices=[(s, s) for s in STATEMENTS])

    class Meta:
        ordering = ["code", "channel"]
        constraints = [models.UniqueConstraint(fields=["code", "channel"],
                                               name="letters_template_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.channel})"

    def current(self) -> TemplateVersion:
        """The latest version (the one sends use)."""
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    """One version of a template's wording; never changed, an edit adds the next one."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"],
                                               name="letters_version_unique")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class Communication(models.Model):
    """One letter, text or email sent to one tenant, as it was sent."""

    tenancy = models.ForeignKey("ledger.Tenancy", on_delete=models.PROTECT,
                                related_name="communications")
    tenant = models.ForeignKey("ledger.Tenant", null=True, on_delete=models.PROTECT,
                               related_name="communications")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    recipient = models.TextField(help_text="the address lines, mobile number or email address")
    date = models.DateField()
    as_of = models.DateField()
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    pdf = models.BinaryField(null=True, blank=True)
    reference = models.CharField(max_length=64, unique=True)
    provider_id = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(max_length=20, default="sending")
    status_at = models.DateTimeField(null=True, blank=True)
    # A failed delivery is a task for an officer until someone says it was dealt with.
    task_closed_at = models.DateTimeField(null=True, blank=True)
    task_note = models.CharField(max_length=300, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["tenancy", "date"], name="letters_comm_tenancy")]

    def __str__(self) -> str:
        return f"{self.reference} {self.channel}"

    @property
    def failed(self) -> bool:
        """Whether delivery failed for good."""
        return self.status in FAILED


class OutboxItem(models.Model):
    """What the recording notifier was asked to send (the demo's and the tests' outbox)."""

    channel = models.CharField(max_length=10)
    to = models.TextField()
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    reference = models.CharField(max_length=64)
    provider_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to[:40]}"


class SendJob(models.Model):
    """A bulk send queued from the worklist: its tenancies, and how far its background task
    (letters.tasks.send_job) has got."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    code = models.CharField(max_length=40)
    tenancy_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # {"Letter 1 by letter": 3, ...} and [[tenancy_ref, why], ...]
    counts = models.JSONField(default=dict)
    skipped = models.JSONField(default=list)
    status = models.CharField(max_length=10, default="queued")  # queued, running, finished
    error = models.CharField(max_length=300, blank=True)
    # The id of the task that runs it (a django_tasks_db result: its status and error).
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"send job {self.pk}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        """How far through, 0 to 100."""
        return 100 if not self.total else round(100 * self.done / self.total)

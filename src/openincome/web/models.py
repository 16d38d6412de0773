"""Recent sign-in attempts, shared by every server process (the throttle of web/signin.py)."""

from django.db import models


class SignInAttempt(models.Model):
    """One sign-in attempt: kept only as long as the throttle needs it (the audit keeps all)."""

    FAILED, SUCCEEDED, REFUSED = "failed", "succeeded", "refused"

    at = models.DateTimeField(db_index=True)
    # As typed, lower-cased (usernames are unique whatever their case); may name nobody.
    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45)
    outcome = models.CharField(max_length=10, choices=[
        (FAILED, "Failed"), (SUCCEEDED, "Succeeded"), (REFUSED, "Refused while locked out")])

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="signin_username_at"),
            models.Index(fields=["address", "at"], name="signin_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} from {self.address}: {self.outcome}"

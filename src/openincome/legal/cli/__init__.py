"""The legal app's command-line parts: the `court` command's two halves (steps on a court case,
steps on a tenancy) and what they share. The management commands stay thin and dispatch here."""

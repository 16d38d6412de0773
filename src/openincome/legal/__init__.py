"""Legal steps: notices served and court cases (checklists and orders come with their issue)."""

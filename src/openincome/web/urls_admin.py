"""Administration pages (users, patches, allocation)."""

urlpatterns: list = []

"""Staff: users, their roles and patches, and the allocation of patches to officers."""

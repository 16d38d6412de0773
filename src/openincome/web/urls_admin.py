"""Administration pages (users, patches, allocation), mounted at /admin/."""

from django.urls import path

from .views import admin_patches, admin_users

urlpatterns = [
    path("", admin_users.index, name="admin-home"),
    path("users/", admin_users.user_list, name="admin-users"),
    # "add" comes before <username>: the forms refuse "add" as a username or patch code.
    path("users/add/", admin_users.user_add, name="admin-user-add"),
    path("users/<str:username>/", admin_users.user_edit, name="admin-user"),
    path("users/<str:username>/password/", admin_users.user_password,
         name="admin-user-password"),
    path("patches/", admin_patches.patch_list, name="admin-patches"),
    path("patches/add/", admin_patches.patch_add, name="admin-patch-add"),
    path("patches/<str:code>/", admin_patches.patch_edit, name="admin-patch"),
]

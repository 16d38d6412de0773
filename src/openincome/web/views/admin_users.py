"""Administration of users: list, add, edit (role, patches, status) and reset a password.

Every view needs `cases.manage_users`. Forms validate fully first; then one function of
`openincome.staff.actions` writes and audits, so nothing is saved when a form has an error.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from openincome.common.permissions import requires
from openincome.staff import actions as user_actions
from openincome.staff.models import PatchAllocation
from openincome.staff.roles import ROLES

from ..forms_admin import PasswordResetForm, UserAddForm, UserEditForm

PAGE_SIZE = 50
SORTS = {
    "username": ("username",),
    "-username": ("-username",),
    "name": ("last_name", "first_name", "username"),
    "-name": ("-last_name", "-first_name", "username"),
    # Never signed in sorts last either way, the same on SQLite and PostgreSQL.
    "last_login": (F("last_login").asc(nulls_last=True), "username"),
    "-last_login": (F("last_login").desc(nulls_last=True), "username"),
}
PERM = "cases.manage_users"


def _roles_label(user) -> list[str]:
    held = {g.name for g in user.groups.all()}
    return [label for code, label in ROLES.items() if code in held]


def form_status(*forms) -> int:
    """400 when a submitted form was refused, so scripts and tests can tell it from a view."""
    return 400 if any(f.is_bound and f.errors for f in forms) else 200


def posted(request):
    """The POST data on a POST (even an empty one), else None."""
    # Bind on any POST, even an empty one, so it shows errors rather than a blank form.
    return request.POST if request.method == "POST" else None


def apply_user_error(form, exc: user_actions.UserError) -> None:
    """Show a refusal from `staff.actions` on the field it concerns, as a sentence."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc)[:1].upper() + str(exc)[1:])


@require_safe
@requires(PERM)
def index(request):
    """The administration start page."""
    return render(request, "web/admin/index.html", {"nav": "admin"})


@require_safe
@requires(PERM)
def user_list(request):
    """Every user with role, patches, status and last sign-in; sorted, filtered by role, paged."""
    User = get_user_model()
    role = request.GET.get("role", "")
    sort = request.GET.get("sort", "username")
    if sort not in SORTS:
        sort = "username"
    people = User.objects.prefetch_related(
        "groups",
        Prefetch("patch_allocations",
                 queryset=PatchAllocation.objects.select_related("patch").order_by("patch__code")),
    )
    if role == "none":
        people = people.annotate(
            n_roles=Count("groups", filter=Q(groups__name__in=list(ROLES)))
        ).filter(n_roles=0)
    elif role in ROLES:
        people = people.filter(groups__name=role)
    else:
        role = ""
    page = Paginator(people.order_by(*SORTS[sort]), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(u, _roles_label(u), [a.patch.code for a in u.patch_allocations.all()])
            for u in page.object_list]
    return render(request, "web/admin/user_list.html", {
        "nav": "admin", "page": page, "rows": rows, "role": role, "sort": sort,
        "roles": ROLES.items(),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@requires(PERM)
def user_add(request):
    """Add a user with a role, patches and a first password."""
    form = UserAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_actions.add_user(
                data["username"], data["role"], data["password1"], data["patches"],
                actor=request.user, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"],
            )
        except user_actions.UserError as exc:
            apply_user_error(form, exc)
        else:
            messages.success(request, f"{user.username} added as {ROLES[data['role']].lower()}.")
            return redirect("admin-users")
    return render(request, "web/admin/user_add.html", {"nav": "admin", "form": form},
                  status=form_status(form))


def _user_or_404(username: str):
    return get_object_or_404(get_user_model(), username=username)


def _initial(user) -> dict:
    held = [code for code in ROLES if code in {g.name for g in user.groups.all()}]
    return {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        # A user given several roles elsewhere shows the first; saving keeps only the one chosen.
        "role": held[0] if held else None,
        "patches": list(user.patch_allocations.values_list("patch__code", flat=True)),
        "active": "true" if user.is_active else "false",
    }


def _edit_page(request, user, form, password_form):
    roles = _roles_label(user)
    return render(request, "web/admin/user_edit.html", {
        "nav": "admin", "person": user, "form": form, "password_form": password_form,
        "roles": roles, "is_self": user.pk == request.user.pk,
    }, status=form_status(form, password_form))


@require_http_methods(["GET", "HEAD", "POST"])
@requires(PERM)
def user_edit(request, username: str):
    """Change a user's details, role, patches and status (deactivate rather than delete)."""
    user = _user_or_404(username)
    form = UserEditForm(posted(request), initial=_initial(user), user=user, editor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = user_actions.change_user(user, actor=request.user, **data)
        except user_actions.UserError as exc:
            apply_user_error(form, exc)
        else:
            if changed:
                messages.success(request, f"Changes to {user.username} saved.")
            else:
                messages.info(request, f"No changes to {user.username}.")
            return redirect("admin-users")
    return _edit_page(request, user, form, PasswordResetForm(user=user))


@require_http_methods(["POST"])
@requires(PERM)
def user_password(request, username: str):
    """Reset a user's password (the edit page shows this form)."""
    user = _user_or_404(username)
    password_form = PasswordResetForm(request.POST, user=user)
    if password_form.is_valid():
        try:
            user_actions.set_password(user, password_form.cleaned_data["password1"],
                                      actor=request.user)
        except user_actions.UserError as exc:
            apply_user_error(password_form, exc)
        else:
            if user.pk == request.user.pk:
                # Keep the administrator signed in after changing their own password.
                update_session_auth_hash(request, user)
            messages.success(request, f"Password for {user.username} reset.")
            return redirect("admin-user", username=user.username)
    form = UserEditForm(initial=_initial(user), user=user, editor=request.user)
    return _edit_page(request, user, form, password_form)

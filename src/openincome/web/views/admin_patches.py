"""Administration of patches: list with stock and officers, add a patch, edit name and allocation.

Every view needs `cases.manage_users`; writes go through `openincome.staff.actions`, audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from openincome.common.permissions import requires
from openincome.ledger.models import Patch
from openincome.staff import actions as user_actions
from openincome.staff.models import PatchAllocation

from ..forms_admin import PatchAddForm, PatchEditForm
from .admin_users import PAGE_SIZE, PERM, apply_user_error, form_status, posted

# Roles whose holders work patches, offered when allocating a patch.
PATCH_ROLES = ("officer", "team_leader")


@require_safe
@requires(PERM)
def patch_list(request):
    """Every patch with its properties, current tenancies and the people who work it."""
    today = timezone.localdate()
    current = Q(properties__tenancies__start_date__lte=today) & (
        Q(properties__tenancies__end_date__isnull=True)
        | Q(properties__tenancies__end_date__gt=today)
    )
    patches = Patch.objects.annotate(
        n_properties=Count("properties", distinct=True),
        n_tenancies=Count("properties__tenancies", filter=current, distinct=True),
    ).prefetch_related(
        Prefetch("allocations", queryset=PatchAllocation.objects.select_related("user")
                 .order_by("user__username"))
    ).order_by("code")
    page = Paginator(patches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/admin/patch_list.html", {
        "nav": "admin", "page": page, "today": today,
    })


@require_http_methods(["GET", "HEAD", "POST"])
@requires(PERM)
def patch_add(request):
    """Add a patch (code and name)."""
    form = PatchAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            patch = user_actions.add_patch(form.cleaned_data["code"], form.cleaned_data["name"],
                                           actor=request.user)
        except user_actions.UserError as exc:
            apply_user_error(form, exc)
        else:
            messages.success(request, f"Patch {patch.code} added. Allocate it to officers below.")
            return redirect("admin-patch", code=patch.code)
    return render(request, "web/admin/patch_add.html", {"nav": "admin", "form": form},
                  status=form_status(form))


def _people_choices(patch) -> list[tuple[str, str]]:
    """Active officers and team leaders, and anyone who works the patch now (to remove them)."""
    User = get_user_model()
    people = User.objects.filter(
        Q(is_active=True, groups__name__in=PATCH_ROLES) | Q(patch_allocations__patch=patch)
    ).distinct().order_by("last_name", "first_name", "username")
    choices = []
    for person in people:
        name = person.get_full_name()
        label = f"{name} ({person.username})" if name else person.username
        if not person.is_active:
            label += " – deactivated"
        choices.append((person.username, label))
    return choices


@require_http_methods(["GET", "HEAD", "POST"])
@requires(PERM)
def patch_edit(request, code: str):
    """Rename a patch and choose who works it."""
    patch = get_object_or_404(Patch, code=code)
    # Imported patches have only a code: offer it as the name so saving needs no typing.
    initial = {"name": patch.name or patch.code,
               "officers": list(patch.allocations.values_list("user__username", flat=True))}
    form = PatchEditForm(posted(request), initial=initial, choices=_people_choices(patch))
    if request.method == "POST" and form.is_valid():
        try:
            changed = user_actions.change_patch(
                patch, name=form.cleaned_data["name"], usernames=form.cleaned_data["officers"],
                actor=request.user,
            )
        except user_actions.UserError as exc:
            apply_user_error(form, exc)
        else:
            if changed:
                messages.success(request, f"Changes to patch {patch.code} saved.")
            else:
                messages.info(request, f"No changes to patch {patch.code}.")
            return redirect("admin-patches")
    return render(request, "web/admin/patch_edit.html", {
        "nav": "admin", "patch": patch, "form": form,
    }, status=form_status(form))

"""View decorators: signed in, and holding a permission (403 otherwise), for the web app and
the capability apps' own pages alike."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def requires(perm: str):
    """Require sign-in and a django-rules permission; signed-in users without it get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

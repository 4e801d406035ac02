"""Who may see which ledger exports: the user who asked for one, and superusers. The export pages
and the admin both ask here. (Who may see which suggestions, and so which rows an export holds,
is `suggestions.permissions`.)"""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import Export


def visible_exports(user: User, exports: QuerySet[Export] | None = None) -> QuerySet[Export]:
    """The exports (of `exports`, by default all) that `user` may see: their own, or all of them
    for a superuser."""
    exports = Export.objects.all() if exports is None else exports
    return exports if user.is_superuser else exports.filter(user=user)

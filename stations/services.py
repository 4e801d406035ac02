"""Every write to regions and stations goes through here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from liaison.codes import new_unique_code

from .models import PATH_SEPARATOR, Region, Station


def _path_under(parent: Region | None, pk: int) -> str:
    return f"{parent.path if parent else ''}{pk}{PATH_SEPARATOR}"


@transaction.atomic
def region_save(*, region: Region) -> Region:
    """Create or change a region, keeping the materialized path in step with `parent`.

    Moving a region to another parent carries its whole subtree along in one UPDATE.
    """
    region.full_clean()
    parent = region.parent if region.parent_id else None
    depth = parent.depth + 1 if parent else 1
    if region.pk is None:
        region.path, region.depth = "", depth
        region.save()
        region.path = _path_under(parent, region.pk)
        Region.objects.filter(pk=region.pk).update(path=region.path)
        return region

    old = Region.objects.select_for_update().get(pk=region.pk)
    new_path = _path_under(parent, region.pk)
    region.path, region.depth = old.path, old.depth
    if new_path != old.path:
        _check_points_stay_inside(old_path=old.path, new_parent=parent)
    region.save()
    if new_path != old.path:
        Region.objects.filter(path__startswith=old.path).update(
            path=Concat(Value(new_path), Substr("path", len(old.path) + 1), output_field=CharField()),
            depth=F("depth") + (depth - old.depth),
        )
        region.path, region.depth = new_path, depth
    return region


def _check_points_stay_inside(*, old_path: str, new_parent: Region | None) -> None:
    """A point must stay inside its station's region after its region moves."""
    stranded = (
        Station.objects.filter(kind=Station.Kind.POINT, region__path__startswith=old_path)
        .exclude(parent__region__path__startswith=old_path)
        .select_related("parent__region")
    )
    for point in stranded:
        if new_parent is None or not point.parent.region.contains(new_parent):
            raise ValidationError(
                {
                    "parent": _(
                        "Moving this region would take the point %(point)s outside the region of "
                        "its station %(station)s."
                    )
                    % {"point": point, "station": point.parent}
                }
            )


def station_save(*, station: Station) -> Station:
    """Create or change a station; a new station gets its public code here."""
    if not station.code:
        station.code = new_unique_code(Station)
    station.full_clean()
    station.save()
    return station

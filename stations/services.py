"""Every write to regions and stations goes through here."""

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Substr

from liaison.codes import new_unique_code

from .models import Region, Station, child_path


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
        region.path = child_path(parent, region.pk)
        Region.objects.filter(pk=region.pk).update(path=region.path)
        return region

    old = Region.objects.select_for_update().get(pk=region.pk)
    new_path = child_path(parent, region.pk)
    region.path, region.depth = old.path, old.depth
    region.save()
    if new_path != old.path:
        Region.objects.filter(path__startswith=old.path).update(
            path=Concat(
                Value(new_path), Substr("path", len(old.path) + 1), output_field=CharField()
            ),
            depth=F("depth") + (depth - old.depth),
        )
        region.path, region.depth = new_path, depth
    return region


def station_save(*, station: Station) -> Station:
    """Create or change a station; a new station gets its public code here."""
    if not station.code:
        station.code = new_unique_code(Station)
    station.full_clean()
    station.save()
    return station

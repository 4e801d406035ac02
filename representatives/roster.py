"""The representative roster (代表名册) as an Excel/CSV sheet: import with a preview, and export.

One row is one representative. The column headers are the sheet's contract with the people who
fill it in, so they are fixed Chinese words rather than translated labels. Exported sheets import
again unchanged: a row with a code updates that representative, a row without one creates a new
representative. Stations are added as assignments; an import never ends an assignment.
"""

import re
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from liaison.codes import new_unique_code, normalize_code
from stations.models import Station
from stations.selectors import stations_managed_by

from .models import Assignment, Representative
from .selectors import representatives_managed_by
from .services import assignment_save

COLUMNS = {
    "code": "编码",
    "name": "姓名",
    "level": "代表层级",
    "position": "职务",
    "work_unit": "工作单位",
    "phone": "联系电话",
    "show_phone": "公开电话",
    "term": "届次",
    "bio": "简介",
    "stations": "编入站点",
}

# Spellings seen on real rosters, mapped to levels. Matching ignores a trailing 人大代表/代表/级.
LEVEL_ALIASES = {
    "全国": Representative.Level.NATIONAL,
    "国家": Representative.Level.NATIONAL,
    "省": Representative.Level.PROVINCIAL,
    "省级": Representative.Level.PROVINCIAL,
    "市": Representative.Level.CITY,
    "市级": Representative.Level.CITY,
    "设区的市": Representative.Level.CITY,
    "县": Representative.Level.COUNTY,
    "县级": Representative.Level.COUNTY,
    "区": Representative.Level.COUNTY,
    "县区": Representative.Level.COUNTY,
    "县（区）": Representative.Level.COUNTY,
    "乡": Representative.Level.TOWNSHIP,
    "镇": Representative.Level.TOWNSHIP,
    "乡镇": Representative.Level.TOWNSHIP,
    "乡镇级": Representative.Level.TOWNSHIP,
    "街道议政": Representative.Level.STREET,
    "街道议政代表": Representative.Level.STREET,
}
_LEVEL_SUFFIX = re.compile(r"(人大代表|代表|级)$")
_STATION_SPLIT = re.compile(r"[、,，;；\n]+")
_NAME_WITH_CODE = re.compile(r"^(?P<name>.*?)[（(](?P<code>[0-9A-Za-z]{4,12})[）)]$")


def level_from_cell(value) -> int | None:
    text = str(value or "").strip().replace(" ", "")
    if not text:
        return None
    if text.isdigit() and int(text) in Representative.Level.values:
        return int(text)
    for candidate in (
        text,
        _LEVEL_SUFFIX.sub("", text),
        _LEVEL_SUFFIX.sub("", _LEVEL_SUFFIX.sub("", text)),
    ):
        if candidate in LEVEL_ALIASES:
            return LEVEL_ALIASES[candidate]
    for level in Representative.Level:
        if text in {str(level.label), level.name.lower()}:
            return level.value
    raise ValueError(
        _("“%(value)s” is not a representative level. Use one of: %(choices)s.")
        % {"value": text, "choices": "、".join(_level_names())}
    )


def _level_names() -> list[str]:
    return ["全国", "省级", "市级", "县级", "乡镇级", "街道议政代表"]


class LevelWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return level_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        return _level_names()[value - 1] if value else ""


class YesNoWidget(widgets.Widget):
    YES = {"是", "公开", "y", "yes", "true", "1", "√"}
    NO = {"否", "不公开", "n", "no", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Write 是 or 否."))

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


def _text(attribute: str) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=COLUMNS[attribute], widget=widgets.CharWidget()
    )


class RosterResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name=COLUMNS["code"], widget=widgets.CharWidget())
    name = _text("name")
    level = fields.Field(attribute="level", column_name=COLUMNS["level"], widget=LevelWidget())
    position = _text("position")
    work_unit = _text("work_unit")
    phone = _text("phone")
    show_phone = fields.Field(
        attribute="show_phone", column_name=COLUMNS["show_phone"], widget=YesNoWidget()
    )
    term = _text("term")
    bio = _text("bio")
    stations = fields.Field(column_name=COLUMNS["stations"], readonly=True)

    class Meta:
        model = Representative
        fields = list(COLUMNS)
        export_order = list(COLUMNS)
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_diff = False

    def __init__(self, user: User | AnonymousUser | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    # Import ---------------------------------------------------------------------------------

    @property
    def importer(self) -> User | AnonymousUser:
        """Whom the import is for. The admin always passes the user (`get_resource_kwargs`); only
        import-export's export form builds a resource without one, to list its columns."""
        assert self.user is not None, "a roster is imported for a user"
        return self.user

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user") or self.user
        missing = [
            c for c in (COLUMNS["name"], COLUMNS["level"]) if c not in (dataset.headers or [])
        ]
        if missing:
            raise ValidationError(
                _(
                    "The sheet has no column %(columns)s. "
                    "The first row must hold the column names: %(all)s."
                )
                % {"columns": "、".join(missing), "all": "、".join(COLUMNS.values())}
            )
        self._stations: dict[str, list[Station]] = {}
        for station in stations_managed_by(self.importer).only("pk", "name", "code", "kind"):
            self._stations.setdefault(station.name, []).append(station)
            self._stations[station.code] = [station]
        self._seen: dict[tuple, int] = {}

    def get_instance(self, instance_loader, row):
        code = normalize_code(str(row.get(COLUMNS["code"]) or ""))
        if not code:
            return None
        instance = representatives_managed_by(self.importer).filter(code=code).first()
        if instance is None:
            raise ValidationError(
                {
                    COLUMNS["code"]: _("No representative with code %(code)s that you may edit.")
                    % {"code": code}
                }
            )
        return instance

    def init_instance(self, row=None):
        # A new row is the importer's own record until it is assigned: nobody else reaches it.
        importer = self.importer
        created_by = importer if isinstance(importer, User) else None
        return Representative(code=new_unique_code(Representative), created_by=created_by)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # The code column only finds whom a row updates (get_instance); it is never written.
        if field.attribute != "code":
            super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            instance._roster_stations = self._stations_from_cell(row.get(COLUMNS["stations"]))
        except ValidationError as e:
            errors.setdefault("stations", []).extend(e.messages)
        self._check_duplicate(instance, row, kwargs.get("row_number"), errors)
        if errors:
            raise ValidationError(errors)

    def _stations_from_cell(self, value) -> list[Station]:
        found: list[Station] = []
        problems: list[str] = []
        for token in _STATION_SPLIT.split(str(value or "")):
            token = token.strip()
            if not token:
                continue
            match = _NAME_WITH_CODE.match(token)
            key = normalize_code(match["code"]) if match else token
            candidates = self._stations.get(key) or self._stations.get(normalize_code(token)) or []
            if len(candidates) == 1:
                found.append(candidates[0])
            elif candidates:
                problems.append(
                    _("“%(name)s” names more than one station; write its code instead.")
                    % {"name": token}
                )
            else:
                problems.append(
                    _("Unknown station “%(name)s” (or not one you manage).") % {"name": token}
                )
        if problems:
            raise ValidationError(problems)
        return found

    def _check_duplicate(self, instance, row, row_number, errors) -> None:
        """The same person twice in one sheet, or a new row for someone already on file."""
        name = (instance.name or "").strip()
        if not name:
            return
        key = (name, (instance.work_unit or "").strip())
        first = self._seen.setdefault(key, row_number)
        if first != row_number:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Duplicate: %(name)s (%(unit)s) already appears in row %(row)s of this sheet.")
                % {"name": name, "unit": key[1] or "—", "row": first}
            )
            return
        if instance.pk is None:
            existing = Representative.objects.filter(name=name, work_unit=key[1]).first()
            if (
                existing
                and not representatives_managed_by(self.importer).filter(pk=existing.pk).exists()
            ):
                # Someone else's representative: say no more than that they are on file.
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _(
                        "Duplicate: %(name)s (%(unit)s) is already on file at a station you do "
                        "not manage; ask that station to assign them to yours."
                    )
                    % {"name": name, "unit": key[1] or "—"}
                )
            elif existing:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _(
                        "Duplicate: %(name)s (%(unit)s) is already on file with code %(code)s; "
                        "put that code in the 编码 column to update them."
                    )
                    % {"name": name, "unit": key[1] or "—", "code": existing.code}
                )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Report every error under the sheet's own column names."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as e:
            raise ValidationError(
                {COLUMNS.get(key, key): value for key, value in e.message_dict.items()}
            ) from None

    def after_save_instance(self, instance, row, **kwargs):
        today = timezone.localdate()
        for station in getattr(instance, "_roster_stations", []):
            if (
                Assignment.objects.current(today)
                .filter(representative=instance, station=station)
                .exists()
            ):
                continue
            try:
                assignment_save(
                    assignment=Assignment(
                        representative=instance, station=station, start_date=today
                    )
                )
            except ValidationError as e:
                raise ValidationError({COLUMNS["stations"]: e.messages}) from None

    # Export ---------------------------------------------------------------------------------

    def dehydrate_stations(self, representative: Representative) -> str:
        current = getattr(representative, "current_assignments", None)
        if current is None:
            current = (
                Assignment.objects.current()
                .filter(representative=representative)
                .select_related("station")
            )
        return "、".join(f"{a.station.name}（{a.station.code}）" for a in current)

"""Writes for werk-met-werk: works (one or a whole upload), combination requests, zones.

Every write checks the model's rules (``validate_instance``) before it saves, inside one
transaction: a refused feature, request or zone stores nothing.
"""

import datetime
import functools
from dataclasses import dataclass

import shapely
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.audit import audit_entries, log_action, log_actions
from bouwplaats.core.background import enqueue_on_commit, enqueue_owed_on_commit
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.validation import (
    BIGINT_MAX,
    validate_instance,
    validate_single_line,
    validate_text,
)
from bouwplaats.search.services import search_index_forget, search_index_refresh_many

from . import tasks
from .geo import (
    BatchGeometryError,
    GeometryError,
    ParsedGeometry,
    declared_crs,
    parse_geometries,
    parse_geometry,
)
from .models import CombinationRequest, InterestZone, JointWork, StreetFollow, Work
from .pairs import PAIR_INPUTS, Refreshed, pairs_refresh
from .permissions import (
    acting_organisation_id,
    acting_organisation_ids,
    can_act_for_owner,
    can_agree_period,
    can_answer_request,
    can_create_zone,
    can_decide_initiative,
    can_edit_work,
    can_manage_zone,
    can_propose_initiative,
    can_propose_period,
    can_send_request,
    can_undo_accept,
    can_withdraw_initiative,
    is_planner,
)
from .reminders import (  # noqa: F401 - the reminder service's public names, also here
    AMSTERDAM,
    REMINDER_DAYS,
    combination_request_remind,
    combination_requests_remind_due,
    reminder_at,
)

TRACKED_FIELDS = [
    "title",
    "description",
    "department",
    "kind",
    "geometry",
    "start",
    "end",
    "status",
    "hindrance",
    "contact",
    "public",
]
# The service resolves these itself (and checks access to them); the model's check would
# only repeat a query per row.
RESOLVED = ["owner", "created_by", "joint"]
# Computed from the parsed geometry (``_geometry_values``), never read from the input.
DERIVED = ["rd_wkb", "rd_minx", "rd_miny", "rd_maxx", "rd_maxy", "rd_span"]


class WorkInputError(DomainError):
    """A feature cannot be read; ``index`` says which one (0-based), ``code`` which property.

    The model's own rules refuse with InvalidInput (422), which carries ``index`` too.
    """

    def __init__(self, message, *, field: str, index: int | None = None, status_code=None):
        super().__init__(message, code=field, status_code=status_code)
        self.index = index

    @property
    def field(self) -> str:
        return self.code


@dataclass
class SavedWork:
    work: Work
    created: bool
    # False: a stored work the feature left as it was (nothing written, pairs as they were).
    changed: bool = True
    # False: no field the pairs depend on changed (pairs.PAIR_INPUTS): they stay as stored.
    pairs_changed: bool = True


class SavedWorks(list):
    """``works_import``'s answer: one SavedWork per feature, in order, and in ``pairs`` what
    ``pairs.pairs_refresh`` stored for them (``selectors.work_checks_many`` reads it)."""

    pairs: Refreshed | None = None


def _on_commit(func, *args) -> None:
    # One-off mails and notices, owed through core's outbox (core.background); the request
    # reminder is owed through its rows instead (reminders, the daily sweep).
    enqueue_owed_on_commit(func, *args)


def _date(value, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError) as exc:
        raise WorkInputError(
            _("Geef een datum op als JJJJ-MM-DD (%(field)s).") % {"field": field}, field=field
        ) from exc


def _text(props: dict, field: str, default: str = "") -> str:
    value = props.get(field)
    if value is None:
        return default
    if not isinstance(value, str):
        raise WorkInputError(_("%(field)s moet tekst zijn.") % {"field": field}, field=field)
    _no_controls(value, field)
    return value.strip()


# The feature properties that may hold line breaks; all others are one line.
MULTILINE_PROPERTIES = frozenset({"description"})


def _no_controls(value: str, field: str) -> None:
    """Refuse stray control characters before a text is looked up or stored.

    Some (``owner``, ``external_id``) are looked up before the model is validated, and
    PostgreSQL cannot compare a text holding NUL: refused here, as a field error.
    """
    validate = validate_text if field in MULTILINE_PROPERTIES else validate_single_line
    try:
        validate(value)
    except ValidationError as error:
        raise WorkInputError(error.messages[0], field=field, status_code=422) from error


def _owner(props: dict, *, actor) -> Organisation:
    """Return the organisation named by ``owner`` (an id or a name), else the actor's own."""
    value = props.get("owner")
    if value in (None, ""):
        org = acting_organisation_id(actor)
        if org is None:
            raise WorkInputError(_("Geef de eigenaar (organisatie) op."), field="owner")
        # The profile's organisation is usually loaded already: no query per feature.
        cached = getattr(actor, "organisation", None)
        if cached is not None and cached.pk == org:
            return cached
        return Organisation.objects.get(pk=org)
    owner = None
    # An id must fit the column: a larger one would overflow the query, not miss.
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= BIGINT_MAX:
        owner = Organisation.objects.filter(pk=value).first()
    elif isinstance(value, str):
        _no_controls(value, "owner")
        owner = Organisation.objects.filter(name__iexact=value.strip()).first()
    if owner is None:
        raise WorkInputError(
            _("Onbekende eigenaar: %(owner)s.") % {"owner": str(value)[:200]},
            field="owner",
            status_code=422,
        )
    return owner


class _Memo:
    """What one import looks up once: owners by the value named, access per organisation.

    The answers are the rules' own (``_owner``, ``can_act_for_owner``), asked once per
    distinct value instead of once per feature: an upload names a handful of owners.
    """

    def __init__(self, actor):
        self.actor = actor
        self._owners: dict = {}
        self._access: dict[int, bool] = {}

    def owner(self, props: dict) -> Organisation:
        value = props.get("owner")
        key = (type(value), value)
        try:
            hash(key)
        except TypeError:
            return _owner(props, actor=self.actor)
        if key not in self._owners:
            self._owners[key] = _owner(props, actor=self.actor)
        return self._owners[key]

    def may_act_for(self, owner_id: int) -> bool:
        if owner_id not in self._access:
            self._access[owner_id] = can_act_for_owner(self.actor, owner_id)
        return self._access[owner_id]


def _head(feature, *, actor, fixed_owner=None, memo: _Memo) -> tuple[Organisation, dict]:
    """Read what comes before a feature's geometry: its shape, owner and the access to it."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise WorkInputError(_("Verwacht een GeoJSON Feature."), field="type")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise WorkInputError(_("properties moet een object zijn."), field="properties")
    owner = fixed_owner or memo.owner(props)
    if not memo.may_act_for(owner.pk):
        raise NotAllowed(
            _("U mag geen werken invoeren voor %(owner)s.") % {"owner": owner.name}, code="owner"
        )
    return owner, props


def _feature_crs(feature: dict, collection_crs) -> str | None:
    try:
        return declared_crs(feature) or collection_crs
    except GeometryError as exc:
        raise WorkInputError(str(exc), field="geometry") from exc


def _tail(props: dict) -> dict:
    """Read the properties after the geometry: dates, texts; return the field values."""
    if "start" not in props or "end" not in props:
        raise WorkInputError(_("Geef een begin- en einddatum op."), field="start")
    start, end = _date(props["start"], "start"), _date(props["end"], "end")
    public = props.get("public", True)
    if not isinstance(public, bool):
        raise WorkInputError(_("public moet true of false zijn."), field="public")
    kind = _text(props, "kind")
    return {
        # A work without a title is called after its kind.
        "title": _text(props, "title")
        or (str(Work.Kind(kind).label) if kind in Work.Kind.values else ""),
        "description": _text(props, "description"),
        "department": _text(props, "department"),
        "kind": kind,
        "start": start,
        "end": end,
        "status": _text(props, "status", Work.Status.GEPLAND),
        "hindrance": _text(props, "hindrance", Work.Hindrance.GEEN),
        "contact": _text(props, "contact"),
        "public": public,
        "external_id": _text(props, "external_id"),
    }


def _geometry_values(geometry: ParsedGeometry) -> dict:
    minx, miny, maxx, maxy = shapely.bounds(geometry.rd).tolist()
    return {
        "geometry": geometry.geojson,
        "rd_wkb": geometry.rd_wkb,
        "rd_minx": minx,
        "rd_miny": miny,
        "rd_maxx": maxx,
        "rd_maxy": maxy,
        "rd_span": max(maxx - minx, maxy - miny),
    }


def _clean(
    feature, *, actor, collection_crs=None, fixed_owner=None, memo: _Memo | None = None
) -> tuple[Organisation, dict]:
    """Read one GeoJSON Feature: return its owner and the work's field values.

    Only reading happens here (JSON types, dates, coordinates to RD New); the rules on the
    values are the model's, checked by ``_store``. An upload reads its features in batches
    (``_read``), in the same order of checks.
    """
    owner, props = _head(feature, actor=actor, fixed_owner=fixed_owner, memo=memo or _Memo(actor))
    try:
        geometry = parse_geometry(
            feature.get("geometry"), crs=_feature_crs(feature, collection_crs)
        )
    except GeometryError as exc:
        raise WorkInputError(str(exc), field="geometry") from exc
    return owner, {**_tail(props), **_geometry_values(geometry)}


def _changes(work: Work, values: dict) -> dict:
    changes = {}
    for name in TRACKED_FIELDS:
        old, new = getattr(work, name), values[name]
        if old != new:
            changes[name] = (
                [str(old), str(new)] if name != "geometry" else [old.get("type"), new["type"]]
            )
    return changes


# Features read, checked and written per batch: bulk inserts of this size, one query to find
# the works their external ids update.
IMPORT_BATCH = 1000
# Rows per INSERT (Django lowers it further to the database's parameter limit).
WRITE_BATCH = 1000
# Work ids per notification task.
NOTIFY_BATCH = 1000


@functools.cache
def _work_layout() -> tuple[list[str], list, frozenset[str]]:
    """Return Work's concrete fields' attnames and defaults in field order (None: the pk; a
    callable: a default computed per work), and the set of those attnames."""
    fields = Work._meta.concrete_fields
    defaults = [
        None if f.primary_key else (f.get_default if callable(f.default) else f.get_default())
        for f in fields
    ]
    names = [f.attname for f in fields]
    return names, defaults, frozenset(names)


def _new_work(owner: Organisation, actor, values: dict) -> Work:
    """Return the unsaved ``Work(owner=owner, created_by=actor, **values)``.

    Built positionally in field order (``Model.__init__``'s fast path, as rows read from the
    database are), the owner and the actor cached as the keyword path caches them: that
    path set each value through its descriptor, per work of an upload.
    """
    names, defaults, known = _work_layout()
    given = {**values, "owner_id": owner.pk, "created_by_id": actor.pk}
    if len(given) != len(values) + 2 or not given.keys() <= known:
        raise TypeError(f"not Work fields: {sorted(given.keys() - known)}")
    row = [
        given[name] if name in given else (default() if callable(default) else default)
        for name, default in zip(names, defaults, strict=True)
    ]
    work = Work(*row)
    Work.owner.field.set_cached_value(work, owner)
    Work.created_by.field.set_cached_value(work, actor)
    return work


class _Checks:
    """``validate_instance`` for an upload's works, each distinct value of a field checked once.

    A work passes when every value passes its field's own ``clean`` (to_python, choices,
    blank, max_length, the field's validators) and the text check of ``validate_strings``,
    and ``Work.clean()`` passes: what ``full_clean`` checks, since Work's unique checks are
    its primary key alone (never a query: see ``_PK_ONLY``). Those answers depend on the
    value alone, so they are kept per (field, value): an upload repeats its kinds, statuses,
    hindrances and departments thousands of times. A work with any refused value, or one
    this cannot judge (a relation or an unhashable value not left blank), goes through
    ``validate_instance`` itself, which raises the model's own errors in its own shape.
    """

    def __init__(self, exclude: list[str]):
        self.exclude = exclude
        self.fields = [
            f
            for f in Work._meta.concrete_fields
            if f.name not in exclude and not f.generated and not f.primary_key
        ]
        self.passed: dict[tuple, bool] = {}
        unique, dated = Work()._get_unique_checks(exclude=exclude)
        self.fast = not dated and all(fields == ("id",) for _model, fields in unique)

    def check(self, work: Work) -> None:
        """Raise InvalidInput as ``validate_instance(work, exclude=…)`` would, or pass."""
        if not (self.fast and all(self._passes(f, work) for f in self.fields)):
            validate_instance(work, exclude=self.exclude, constraints=False)
            return
        try:
            work.clean()
        except ValidationError:
            validate_instance(work, exclude=self.exclude, constraints=False)

    def check_many(self, pending: list[tuple[int, Work]]) -> None:
        """Check each ``(index, work)`` of ``pending`` as ``check`` does, in order; raise the
        first refusal with its ``index``.

        Each field's distinct values over all the works are judged at once; when they all
        pass (an upload without a refused value), only ``Work.clean()`` is left per work.
        Otherwise the works go through ``check`` one by one.
        """
        works = [work for _index, work in pending]
        if not (self.fast and all(self._column_passes(f, works) for f in self.fields)):
            for index, work in pending:
                try:
                    self.check(work)
                except DomainError as error:
                    error.index = index
                    raise
            return
        for index, work in pending:
            try:
                work.clean()
            except ValidationError:
                try:
                    validate_instance(work, exclude=self.exclude, constraints=False)
                except DomainError as error:
                    error.index = index
                    raise

    def _column_passes(self, field, works: list[Work]) -> bool:
        attname = field.attname
        try:
            # With the type: True and 1 are one set member, yet not one value to check.
            values = {(value.__class__, value) for value in (w.__dict__[attname] for w in works)}
        except (TypeError, KeyError):  # unhashable, or not set on the instance
            return False
        return all(self._value_passes(field, value, works[0]) for _type, value in values)

    def _passes(self, field, work: Work) -> bool:
        return self._value_passes(field, getattr(work, field.attname), work)

    def _value_passes(self, field, value, work: Work) -> bool:
        if field.blank and value in field.empty_values:
            # full_clean skips it; the text check finds nothing in "" or None.
            return True
        if field.is_relation:
            return False
        key = (field.attname, type(value), value)
        try:
            return self.passed[key]
        except TypeError:  # unhashable
            return False
        except KeyError:
            pass
        try:
            # The value must come back as it is: full_clean would store a converted one.
            ok = field.clean(value, work) == value
            if ok and isinstance(field, models.CharField | models.TextField):
                validate_text(value)
        except ValidationError:
            ok = False
        self.passed[key] = ok
        return ok


@dataclass
class _Item:
    index: int
    owner: Organisation
    values: dict
    work: Work | None = None  # the stored work it updates, if known already


def _existing(items: list[_Item], known: dict) -> None:
    """Put the stored works that ``items`` update (same owner and external id) in ``known``."""
    wanted = {
        (item.owner.pk, item.values["external_id"])
        for item in items
        if item.work is None and item.values["external_id"]
    } - set(known)
    keys = sorted(wanted)
    for at in range(0, len(keys), IMPORT_BATCH):
        part = keys[at : at + IMPORT_BATCH]
        found = (
            # With the owner, as a new work has it: POST /works answers with the works as saved.
            Work.objects.select_for_update(of=("self",))
            .select_related("owner")
            .filter(
                owner_id__in={owner for owner, _ext in part},
                external_id__in={ext for _owner, ext in part},
            )
            # Said outright so that the partial unique index (owner, external_id) where
            # external_id <> '' serves the look-up; without it the whole table was read.
            .exclude(external_id="")
            .order_by()
        )
        for work in found:
            if (work.owner_id, work.external_id) in wanted:
                known[(work.owner_id, work.external_id)] = work


def _store(
    items: list[_Item],
    *,
    actor,
    memo: _Memo,
    known: dict,
    write: bool = True,
    index_later: bool = False,
) -> list[SavedWork]:
    """Check and write ``items`` (in feature order) with bulk writes; return what was saved.

    Each feature is checked as one save checks it (``validate_instance``, edit access), in
    order: the first refusal raises with its ``index``. A feature whose owner and external
    id match a stored work, or an earlier feature of the same upload, updates that work.
    Audit entries, the search index and the notifications follow, batched. ``write``
    False only checks. ``index_later``: new and changed works are indexed by a task owed
    on record (``tasks.index_works``) once the transaction commits; changed works leave the
    index at once, so that it never shows a changed work as it was.
    """
    _existing(items, known)
    # Per feature, the model's checks without what holds already: the geometry is what
    # parse_geometry (the field validator's own check) just made of the input, and the
    # constraints hold by construction: an owner's external id in use updates that work
    # (``known``), and end >= start is Model.clean()'s rule too. The database enforces both
    # on insert; asking it per feature (a query each) was most of an upload's time. The RD
    # New columns are shapely's figures of that geometry, not input.
    checks = _Checks(exclude=[*RESOLVED, "geometry", *DERIVED])
    saved: list[SavedWork] = []
    created: dict[int, Work] = {}  # id() of each new work, in order
    updated: dict[int, Work] = {}
    entries = []  # (action, work, data) in feature order; audit rows once ids exist
    # Works to check, with their feature's index: checked together (_Checks.check_many),
    # before any later refusal is raised and before a later feature changes one of them.
    pending: list[tuple[int, Work]] = []
    pending_works: set[int] = set()

    def check_pending() -> None:
        checks.check_many(pending)
        pending.clear()
        pending_works.clear()

    for item in items:
        key = (item.owner.pk, item.values["external_id"])
        work = item.work or (known.get(key) if item.values["external_id"] else None)
        if work is not None and id(work) in pending_works:
            check_pending()  # as it is before this feature changes it
        try:
            if work is None:
                work = _new_work(item.owner, actor, item.values)
                pending.append((item.index, work))
                pending_works.add(id(work))
                created[id(work)] = work
                if item.values["external_id"]:
                    known[key] = work
                entries.append(("planning.work.created", work, {"title": work.title}))
                saved.append(SavedWork(work=work, created=True))
                continue
            if not memo.may_act_for(work.owner_id):
                raise NotAllowed(_("U mag dit werk niet wijzigen."), code="owner")
            if id(work) not in created and not _differs(work, item.values):
                # A re-upload's unchanged work: nothing to write, index or pair again.
                saved.append(
                    SavedWork(work=work, created=False, changed=False, pairs_changed=False)
                )
                continue
            changes = _changes(work, item.values)
            pairs_changed = id(work) in created or _differs(
                work, {name: item.values[name] for name in PAIR_INPUTS if name in item.values}
            )
            for name, value in item.values.items():
                if name == "external_id" and not value:
                    continue
                setattr(work, name, value)
            pending.append((item.index, work))
            pending_works.add(id(work))
            if id(work) not in created:
                updated[id(work)] = work
            if changes:
                entries.append(("planning.work.updated", work, {"changes": changes}))
            saved.append(SavedWork(work=work, created=False, pairs_changed=pairs_changed))
        except DomainError as error:
            check_pending()  # an earlier feature's refusal comes first, with its index
            error.index = item.index
            raise
    check_pending()
    if not write:
        return saved
    new = list(created.values())
    Work.objects.bulk_create(new, batch_size=WRITE_BATCH)
    if updated:
        _upsert(list(updated.values()), [*dict.fromkeys(n for i in items for n in i.values)])
    log_actions(audit_entries(entries, actor=actor))
    new_ids = [w.pk for w in new]
    changed_ids = [w.pk for w in updated.values()]
    if index_later and (new_ids or changed_ids):
        # Writing these rows was half an upload's time. A changed work leaves the index at
        # once, so it is never found as it was (no longer public, for one); new and changed
        # works are found once the task ran, and the outbox row keeps them owed until then.
        search_index_forget(kind="work", ids=changed_ids)
        enqueue_owed_on_commit(tasks.index_works, new_ids + changed_ids)
    else:
        search_index_refresh_many(kind="work", ids=new_ids + changed_ids)
    for at in range(0, len(new_ids), NOTIFY_BATCH):
        _on_commit(tasks.notify_new_works, new_ids[at : at + NOTIFY_BATCH])
    return saved


def _differs(work: Work, values: dict) -> bool:
    """Return whether storing ``values`` (a feature read by ``_read``) would change ``work``."""
    for name, new in values.items():
        if name == "external_id" and not new:
            continue
        old = getattr(work, name)
        if isinstance(old, memoryview):  # a BinaryField read from PostgreSQL
            old = bytes(old)
        if old != new:
            return True
    return False


def _upsert(works: list[Work], names: list[str]) -> None:
    """Write the changed fields ``names`` of stored ``works`` (and ``updated_at``).

    One multi-row INSERT ... ON CONFLICT (id) DO UPDATE per batch (bulk_create's upsert):
    each row found by its key, where bulk_update's CASE per field and row grew with the
    batch (most of a re-upload's time).
    """
    now = timezone.now()
    for work in works:
        work.updated_at = now
    # The insert half fills created_at (auto_now_add) on the objects; the rows keep theirs.
    created_at = [work.created_at for work in works]
    Work.objects.bulk_create(
        works,
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=[*names, "updated_at"],
    )
    for work, value in zip(works, created_at, strict=True):
        work.created_at = value


def _features(data) -> tuple[list, object]:
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise WorkInputError(_("De FeatureCollection bevat geen features."), field="features")
        return features, _crs_or_error(data)
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data], None
    raise WorkInputError(_("Verwacht een GeoJSON Feature of FeatureCollection."), field="type")


@transaction.atomic
def works_import(*, actor, data) -> SavedWorks:
    """Create or update works from a GeoJSON Feature or FeatureCollection, all or nothing.

    A feature with an ``external_id`` already used by the same owner updates that work.
    Raises NotAllowed (403), WorkInputError (400/422: a feature cannot be read) or
    InvalidInput (422: the model refuses a value); each carries ``index``, the 0-based
    feature, and ``code``, the property. Read, checked and written in batches of
    IMPORT_BATCH features (``_read``: geometries converted together; ``_store``: the
    model's checks per feature, then multi-row inserts and audit entries in bulk); the
    pairs of all saved works are computed at the end in STRtree bulk queries
    (``pairs.pairs_refresh``; only works whose place, period or other PAIR_INPUTS changed),
    in the same transaction. New and changed works are indexed
    for the search by a task owed on record (changed ones leave the index at once). A
    stored work the feature leaves as it is is not written again (``changed`` False).
    Returns one SavedWork per feature, in order (``created`` False: an update), and the
    pairs stored for them (``SavedWorks.pairs``).
    """
    return _import(actor=actor, data=data, index_later=True)


def _import(*, actor, data, index_later: bool) -> SavedWorks:
    if not is_planner(actor):
        raise NotAllowed(_("Alleen leden van een organisatie kunnen werken invoeren."))
    features, collection_crs = _features(data)
    memo = _Memo(actor)
    known: dict = {}
    saved: list[SavedWork] = []
    for at in range(0, len(features), IMPORT_BATCH):
        items = _read(
            features[at : at + IMPORT_BATCH],
            at,
            actor=actor,
            collection_crs=collection_crs,
            memo=memo,
            known=known,
        )
        saved.extend(_store(items, actor=actor, memo=memo, known=known, index_later=index_later))
    result = SavedWorks(saved)
    result.pairs = pairs_refresh(
        dict.fromkeys(s.work.pk for s in saved if s.pairs_changed),
        new=[s.work.pk for s in saved if s.created],
    )
    return result


def _read(features: list, at: int, *, actor, collection_crs, memo: _Memo, known) -> list[_Item]:
    """Read one batch of features (``at``: the first one's index); return the items.

    The checks run per stage over the whole batch (the geometries in one
    ``geo.parse_geometries``), but a refusal is reported as reading one feature after the
    other would: when feature k is refused, the features before it are checked in full
    first (geometry, the model's rules), and so is k's geometry when its refusal comes
    after the geometry (dates, texts).
    """
    items: list[_Item] = []
    geometries: list[tuple] = []

    def refuse(error: DomainError, index: int, *, with_geometry: bool) -> None:
        _complete(items, geometries[: len(items)], actor=actor, memo=memo, known=known)
        if with_geometry:
            _attach_geometries([], geometries[len(items) :], first=index)
        error.index = index
        raise error

    for index, feature in enumerate(features, start=at):
        try:
            owner, props = _head(feature, actor=actor, memo=memo)
        except DomainError as error:
            refuse(error, index, with_geometry=False)
        try:
            crs = _feature_crs(feature, collection_crs)
        except DomainError as error:
            refuse(error, index, with_geometry=False)
        geometries.append((feature.get("geometry"), crs))
        try:
            values = _tail(props)
        except DomainError as error:
            refuse(error, index, with_geometry=True)
        items.append(_Item(index=index, owner=owner, values=values))
    try:
        _attach_geometries(items, geometries, first=at)
    except WorkInputError as error:
        done = error.index - at
        _complete(items[:done], geometries[:done], actor=actor, memo=memo, known=known)
        raise
    return items


def _attach_geometries(items: list[_Item], geometries: list[tuple], *, first: int) -> None:
    """Parse ``geometries`` (one per item, in order; ``first``: the index of the first)
    into the items' values; raise WorkInputError naming the first refused feature."""
    try:
        parsed = parse_geometries(geometries)
    except BatchGeometryError as exc:
        raise WorkInputError(str(exc), field="geometry", index=first + exc.index) from exc
    for item, geometry in zip(items, parsed, strict=False):
        item.values.update(_geometry_values(geometry))


def _complete(items, geometries, *, actor, memo, known) -> None:
    """Check ``items`` in full before a later feature's refusal is reported (raises)."""
    if items:
        _attach_geometries(items, geometries, first=items[0].index)
        _store(items, actor=actor, memo=memo, known=known, write=False)


def _crs_or_error(data: dict):
    try:
        return declared_crs(data)
    except GeometryError as exc:
        raise WorkInputError(str(exc), field="crs") from exc


@transaction.atomic
def work_create(*, actor, feature: dict) -> Work:
    """Create one work from a GeoJSON Feature (the page's form builds one); it is found by
    the search at once."""
    [saved] = _import(actor=actor, data=feature, index_later=False)
    return saved.work


@transaction.atomic
def work_update(*, actor, work: Work, feature: dict) -> Work:
    """Change a work; its owner stays the same."""
    work = Work.objects.select_for_update().select_related("owner").get(pk=work.pk)
    if not can_edit_work(actor, work):
        raise NotAllowed(_("U mag dit werk niet wijzigen."))
    owner, values = _clean(feature, actor=actor, fixed_owner=work.owner)
    if not values["external_id"]:
        values["external_id"] = work.external_id
    elif (
        Work.objects.filter(owner=owner, external_id=values["external_id"])
        .exclude(pk=work.pk)
        .exists()
    ):
        raise WorkInputError(
            _("Dit externe kenmerk hoort al bij een ander werk van %(owner)s.")
            % {"owner": owner.name},
            field="external_id",
            status_code=422,
        )
    item = _Item(index=0, owner=owner, values=values, work=work)
    [saved] = _store([item], actor=actor, memo=_Memo(actor), known={})
    pairs_refresh([saved.work.pk])
    return saved.work


# Combination requests ---------------------------------------------------------------------


def _schedule_reminder(req: CombinationRequest) -> None:
    if req.deadline - datetime.timedelta(days=REMINDER_DAYS) <= timezone.localdate():
        return  # The deadline is close already: the request itself is the reminder.
    if not tasks.remind_request.get_backend().supports_defer:
        return  # The sweep (manage.py planning_reminders) covers backends that cannot defer.
    run_after = reminder_at(req.deadline)
    enqueue_on_commit(tasks.remind_request.using(run_after=run_after), req.pk)


@transaction.atomic
def combination_request_send(
    *,
    actor,
    from_work: Work,
    to_work: Work,
    deadline: datetime.date,
    message: str = "",
    contact: str = "",
) -> CombinationRequest:
    """Ask the owner of ``to_work`` to combine it with ``from_work`` before ``deadline``.

    ``contact`` names who the other owner can reach about it (default: the sender's name
    and address); the request and its mails name the sender too.
    """
    if not can_send_request(actor, from_work):
        raise NotAllowed(_("Alleen de eigenaar van het werk kan een combinatieverzoek sturen."))
    if from_work.owner_key == to_work.owner_key:
        raise DomainError(_("Beide werken hebben dezelfde eigenaar."), code="to_work")
    if Work.Status.GEREED in (from_work.status, to_work.status):
        raise DomainError(_("Een werk dat gereed is, kan niet meer worden gecombineerd."))
    if from_work.joint_id and from_work.joint_id == to_work.joint_id:
        raise DomainError(_("Deze werken zijn al één gezamenlijk werk."))
    req = CombinationRequest(
        from_work=from_work,
        to_work=to_work,
        requested_by=actor,
        deadline=deadline,
        message=(message or "").strip(),
        contact=(contact or "").strip() or _default_contact(actor),
    )
    validate_instance(req, exclude=["from_work", "to_work", "requested_by"])
    if deadline <= timezone.localdate():
        raise DomainError(_("Kies een antwoorddatum in de toekomst."), code="deadline")
    if (
        CombinationRequest.objects.select_for_update()
        .filter(
            from_work__in=[from_work, to_work],
            to_work__in=[from_work, to_work],
            status=CombinationRequest.Status.OPEN,
        )
        .exists()
    ):
        raise DomainError(_("Voor deze werken loopt al een combinatieverzoek."), status_code=409)
    try:
        with transaction.atomic():
            req.save()
    except IntegrityError as exc:
        raise DomainError(
            _("Voor deze werken loopt al een combinatieverzoek."), status_code=409
        ) from exc
    log_action("planning.request.sent", actor=actor, obj=req, data={"to_work": to_work.pk})
    for work in (from_work, to_work):
        log_action("planning.work.request_sent", actor=actor, obj=work, data={"request": req.pk})
    _on_commit(tasks.mail_request_sent, req.pk)
    _schedule_reminder(req)
    return req


def _default_contact(actor) -> str:
    name = getattr(actor, "display_name", "") or ""
    email = getattr(actor, "email", "") or ""
    max_length = CombinationRequest._meta.get_field("contact").max_length
    return (f"{name} ({email})" if name and email else name or email)[:max_length]


def _locked_open(req: CombinationRequest, actor) -> CombinationRequest:
    req = (
        CombinationRequest.objects.select_for_update()
        .select_related("from_work", "to_work")
        .get(pk=req.pk)
    )
    if req.status != CombinationRequest.Status.OPEN:
        raise DomainError(_("Dit verzoek is al beantwoord."), status_code=409)
    if not can_answer_request(actor, req):
        raise NotAllowed(_("Alleen de eigenaar van het gevraagde werk kan antwoorden."))
    return req


@transaction.atomic
def combination_request_accept(
    *, actor, request: CombinationRequest, message: str = ""
) -> JointWork:
    """Accept: both works become (part of) one joint work; each keeps owner and history.

    ``message`` goes to the sender with the answer.
    """
    req = _locked_open(request, actor)
    req.answer = (message or "").strip()
    validate_instance(req, exclude=["from_work", "to_work", "requested_by", "answered_by"])
    a, b = req.from_work, req.to_work
    joint = a.joint or b.joint
    if joint is None:
        title_max = JointWork._meta.get_field("title").max_length
        joint = JointWork(title=f"{a.title} + {b.title}"[:title_max])
        validate_instance(joint)
        joint.save()
    # Merging two joint works: every work of the other one moves along.
    for old in {a.joint_id, b.joint_id} - {None, joint.pk}:
        Work.objects.filter(joint_id=old).update(joint=joint)
        JointWork.objects.filter(pk=old).delete()
    Work.objects.filter(pk__in=[a.pk, b.pk]).update(joint=joint)
    # Parts of one joint work are no combination or conflict of each other any more.
    pairs_refresh(Work.objects.filter(joint=joint).values_list("pk", flat=True))
    req.status = CombinationRequest.Status.ACCEPTED
    req.answered_by = actor
    req.answered_at = timezone.now()
    req.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    log_action("planning.request.accepted", actor=actor, obj=req)
    for work in (a, b):
        log_action("planning.work.joined", actor=actor, obj=work, data={"joint": joint.pk})
    _on_commit(tasks.mail_request_answered, req.pk)
    return joint


@transaction.atomic
def combination_request_decline(
    *, actor, request: CombinationRequest, reason: str
) -> CombinationRequest:
    """Decline with a reason, which both sides read."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden op."), code="reason")
    req = _locked_open(request, actor)
    req.status = CombinationRequest.Status.DECLINED
    req.reason = reason
    req.answered_by = actor
    req.answered_at = timezone.now()
    validate_instance(req, exclude=["from_work", "to_work", "requested_by", "answered_by"])
    req.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    log_action("planning.request.declined", actor=actor, obj=req, data={"reason": reason})
    _on_commit(tasks.mail_request_answered, req.pk)
    return req


@transaction.atomic
def combination_request_undo(*, actor, request: CombinationRequest) -> CombinationRequest:
    """Take an accept back within a day (permissions.UNDO_HOURS): the request is open again.

    Only while the joint work is still just these two works; raises NotAllowed for anyone
    but the member who accepted, or after a day, DomainError once more works joined.
    """
    req = (
        CombinationRequest.objects.select_for_update(of=("self",))
        .select_related("from_work", "to_work")
        .get(pk=request.pk)
    )
    if not can_undo_accept(actor, req, timezone.now()):
        raise NotAllowed(
            _("Alleen wie het verzoek accepteerde kan dat binnen een dag ongedaan maken.")
        )
    joint_id = req.to_work.joint_id
    parts = set(Work.objects.filter(joint_id=joint_id).values_list("pk", flat=True))
    if joint_id is None or parts != {req.from_work_id, req.to_work_id}:
        raise DomainError(
            _("Er zijn intussen meer werken samengevoegd; neem contact op met de andere eigenaar.")
        )
    Work.objects.filter(pk__in=parts).update(joint=None)
    pairs_refresh(parts)
    JointWork.objects.filter(pk=joint_id).delete()
    req.status = CombinationRequest.Status.OPEN
    req.answered_by = None
    req.answered_at = None
    req.answer = ""
    req.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    log_action("planning.request.undone", actor=actor, obj=req)
    return req


# The joint period ----------------------------------------------------------------------------


@transaction.atomic
def joint_period_propose(
    *, actor, joint: JointWork, start: datetime.date, end: datetime.date
) -> JointWork:
    """Propose one period for the joint work; another owner's planner agrees to it.

    Raises NotAllowed for who may edit none of its parts, InvalidInput for a bad period.
    """
    joint = JointWork.objects.select_for_update().get(pk=joint.pk)
    if not can_propose_period(actor, joint):
        raise NotAllowed(
            _("Alleen de eigenaren van het gezamenlijke werk stellen een periode voor.")
        )
    owners = Work.objects.filter(joint=joint).values_list("owner_id", flat=True)
    acting = acting_organisation_ids(actor)
    joint.proposed_for_id = next((o for o in owners if o in acting), None) or min(owners)
    joint.proposed_start, joint.proposed_end = start, end
    joint.proposed_by = actor
    validate_instance(joint, exclude=["proposed_by", "proposed_for"])
    joint.save()
    log_action(
        "planning.joint.proposed",
        actor=actor,
        obj=joint,
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    _on_commit(tasks.mail_joint_period, joint.pk, False)
    return joint


@transaction.atomic
def joint_period_agree(*, actor, joint: JointWork) -> JointWork:
    """Agree to the proposed period: it becomes the joint work's one period."""
    joint = JointWork.objects.select_for_update().get(pk=joint.pk)
    if not can_agree_period(actor, joint):
        raise NotAllowed(_("Een andere eigenaar dan de voorsteller gaat akkoord."))
    joint.period_start, joint.period_end = joint.proposed_start, joint.proposed_end
    joint.agreed_at = timezone.now()
    joint.proposed_start = joint.proposed_end = None
    joint.proposed_by = None
    joint.proposed_for = None
    joint.save()
    log_action(
        "planning.joint.agreed",
        actor=actor,
        obj=joint,
        data={"start": joint.period_start.isoformat(), "end": joint.period_end.isoformat()},
    )
    _on_commit(tasks.mail_joint_period, joint.pk, True)
    return joint


# Interest zones ---------------------------------------------------------------------------


@transaction.atomic
def interest_zone_create(*, actor, name: str, geometry) -> InterestZone:
    """Register an area: the member is mailed when anyone plans a work in it.

    Raises NotAllowed, or InvalidInput naming ``name`` or ``geometry``.
    """
    if not can_create_zone(actor):
        raise NotAllowed(_("Alleen leden van een organisatie kunnen een interessegebied maken."))
    try:
        parsed = parse_geometry(geometry)
    except GeometryError as exc:
        raise DomainError(str(exc), code="geometry", status_code=422) from exc
    zone = InterestZone(
        owner_id=acting_organisation_id(actor),
        member=actor,
        name=(name or "").strip(),
        geometry=parsed.geojson,
        rd_wkb=parsed.rd_wkb,
    )
    validate_instance(zone, exclude=["owner", "member"])
    zone.save()
    log_action("planning.zone.created", actor=actor, obj=zone)
    return zone


@transaction.atomic
def interest_zone_delete(*, actor, zone: InterestZone) -> None:
    """Remove an interest zone. Raises NotAllowed unless permissions.can_manage_zone."""
    if not can_manage_zone(actor, zone):
        raise NotAllowed()
    log_action("planning.zone.deleted", actor=actor, obj=zone)
    zone.delete()


# Residents' initiatives -----------------------------------------------------------------------


@transaction.atomic
def initiative_propose(
    *,
    actor,
    owner: Organisation,
    title: str,
    description: str,
    geometry,
    start: datetime.date,
    end: datetime.date,
) -> Work:
    """Propose a residents' initiative to the municipality ``owner``.

    The work is non-public, without hindrance, until a planner of ``owner`` accepts it
    (``initiative_decide``). Raises NotAllowed (visitor), InvalidInput naming ``owner`` (not a
    checked municipality), ``geometry`` or a model field.
    """
    if not can_propose_initiative(actor):
        raise NotAllowed(_("Log in om een initiatief voor te stellen."))
    if owner.kind != Organisation.Kind.GEMEENTE or not owner.verified:
        raise InvalidInput({"owner": [_("Een initiatief richt u aan een gemeente.")]})
    try:
        parsed = parse_geometry(geometry)
    except GeometryError as exc:
        raise InvalidInput({"geometry": [str(exc)]}) from exc
    minx, miny, maxx, maxy = parsed.rd_bounds
    work = Work(
        owner=owner,
        title=(title or "").strip(),
        description=(description or "").strip(),
        kind=Work.Kind.INITIATIEF,
        geometry=parsed.geojson,
        rd_wkb=parsed.rd_wkb,
        rd_minx=minx,
        rd_miny=miny,
        rd_maxx=maxx,
        rd_maxy=maxy,
        rd_span=max(maxx - minx, maxy - miny),
        start=start,
        end=end,
        status=Work.Status.IDEE,
        hindrance=Work.Hindrance.GEEN,
        public=False,
        initiative=Work.Initiative.PROPOSED,
        proposed_by=actor,
        created_by=actor,
    )
    validate_instance(work, exclude=[*RESOLVED, "proposed_by"])
    work.save()
    log_action("planning.initiative.proposed", actor=actor, obj=work, data={"title": work.title})
    pairs_refresh([work.pk])
    _on_commit(tasks.mail_initiative_proposed, work.pk)
    return work


@transaction.atomic
def initiative_decide(*, actor, work: Work, accept: bool, reason: str = "") -> Work:
    """Accept (the initiative becomes public and planned) or decline a proposed initiative.

    A decline carries ``reason`` (Work.clean requires it), which the proposer reads; the
    proposer is mailed either way. Raises NotAllowed unless permissions.can_decide_initiative
    (a verified member of the municipality it is addressed to, or staff), InvalidInput naming
    ``initiative_reason``.
    """
    work = Work.objects.select_for_update(of=("self",)).select_related("owner").get(pk=work.pk)
    if not can_decide_initiative(actor, work):
        raise NotAllowed(_("Alleen een planner van de gemeente beslist over dit initiatief."))
    if accept:
        work.initiative, work.public = Work.Initiative.ACCEPTED, True
        work.initiative_reason = ""
        if work.status == Work.Status.IDEE:
            work.status = Work.Status.GEPLAND
    else:
        work.initiative, work.public = Work.Initiative.DECLINED, False
        work.initiative_reason = (reason or "").strip()
    validate_instance(work, exclude=[*RESOLVED, "proposed_by", "geometry"])
    work.save(update_fields=["initiative", "initiative_reason", "public", "status", "updated_at"])
    pairs_refresh([work.pk])
    log_action(
        "planning.initiative.accepted" if accept else "planning.initiative.declined",
        actor=actor,
        obj=work,
        data={} if accept else {"reason": work.initiative_reason},
    )
    if accept:
        _on_commit(tasks.notify_interest_zones, work.pk)
    _on_commit(tasks.mail_initiative_decided, work.pk)
    return work


@transaction.atomic
def initiative_withdraw(*, actor, work: Work) -> None:
    """Withdraw a proposed initiative: its proposer, before the municipality decides.

    The work is deleted (it was never public). Raises NotAllowed unless
    permissions.can_withdraw_initiative.
    """
    work = Work.objects.select_for_update().filter(pk=work.pk).first()
    if work is None or not can_withdraw_initiative(actor, work):
        raise NotAllowed(
            _("Wie het voorstelde, trekt een initiatief in zolang de gemeente niet besliste.")
        )
    log_action("planning.initiative.withdrawn", actor=actor, obj=work, data={"title": work.title})
    work.delete()


# Residents following a street ----------------------------------------------------------------


@transaction.atomic
def street_follow_start(*, email: str, place: str, area: dict) -> StreetFollow:
    """Start following ``place`` (its area in WGS84): a confirmation mail goes out first.

    Double opt-in as the nieuwsflits: nothing is mailed about works until the link in the
    confirmation mail is followed. Asking again sends a fresh link. Raises InvalidInput
    naming ``email`` for an address the model refuses.
    """
    import secrets

    from .geo import parse_geometry

    email = (email or "").strip()
    follow = StreetFollow.objects.select_for_update().filter(email=email, place=place).first()
    if follow is None:
        follow = StreetFollow(email=email, place=place)
    follow.area = area
    follow.token = secrets.token_urlsafe(32)
    validate_instance(follow, exclude=["rd_wkb", "token"])
    follow.rd_wkb = parse_geometry(area).rd_wkb
    follow.save()
    _on_commit(tasks.mail_street_follow_confirm, follow.pk)
    return follow


@transaction.atomic
def street_follow_confirm(*, token: str) -> StreetFollow:
    """Confirm a follow by its link's token; raises DomainError for an unknown token."""
    follow = StreetFollow.objects.select_for_update().filter(token=token).first()
    if follow is None:
        raise DomainError(_("Deze link is niet (meer) geldig."), status_code=404)
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
    return follow


@transaction.atomic
def street_follow_stop(*, token: str) -> None:
    """Stop following (the link in every mail); an unknown token changes nothing."""
    StreetFollow.objects.filter(token=token).delete()

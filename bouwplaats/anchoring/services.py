"""Writes on koffertjes and the stakeholder field: permission, model rules, one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.background import enqueue_on_commit
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.exports import FORMATS, export_table
from bouwplaats.core.validation import validate_instance, validate_single_line
from bouwplaats.programmes.models import Programme, Region
from bouwplaats.projects.models import Pilot

from . import tasks
from .models import Koffertje, KoffertjeItem, Stakeholder, StakeholderPerson, StakeholderRating
from .permissions import (
    can_edit_koffertje,
    can_manage_stakeholders,
    can_see_named_persons,
    can_set_up_koffertje,
    can_view_stakeholders,
)
from .selectors import stakeholder_field

# Koffertjes --------------------------------------------------------------------------------


@transaction.atomic
def koffertje_set_up(
    *, actor, programme: Programme, region: Region, organisations=(), writers=()
) -> Koffertje:
    """Create or change ``region``'s koffertje in ``programme``: its organisations and writers.

    Each newly named writer gets a mail with a link (after the commit). Raises NotAllowed
    unless ``actor`` is on the programme's team; InvalidInput if the region is not one of the
    programme's.
    """
    if not can_set_up_koffertje(actor, programme):
        raise NotAllowed(_("Alleen het programmateam richt koffertjes in."), code="koffertje")
    if not programme.regions.filter(pk=region.pk).exists():
        raise InvalidInput({"region": [_("Kies een regio van dit programma.")]})
    koffertje, _created = Koffertje.objects.get_or_create(programme=programme, region=region)
    before = set(koffertje.writers.values_list("pk", flat=True))
    koffertje.organisations.set(organisations)
    koffertje.writers.set(writers)
    for writer in writers:
        if writer.pk not in before:
            enqueue_on_commit(tasks.send_writer_mail, koffertje.pk, writer.pk)
            before.add(writer.pk)
    return koffertje


REGION_NAME_MAX = Region._meta.get_field("name").max_length


def _region_slug(name: str) -> str:
    """Return a free slug for a new region called ``name`` ("regio" for a name without
    letters or digits, a number appended on a clash; at most the field's 100 characters)."""
    base = slugify(name)[:90].strip("-") or "regio"
    slug, n = base, 1
    while Region.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def koffertje_region_add(*, actor, programme: Programme, name: str) -> Koffertje:
    """Add region ``name`` to ``programme`` and start its (empty) koffertje; return it.

    A region of that name elsewhere on the platform (case-insensitive) is reused, so a
    region keeps one name over programmes. Raises NotAllowed unless ``actor`` is on the
    programme's team; InvalidInput (keyed ``region``) for an empty, too long or multi-line
    name, or a region the programme already has.
    """
    if not can_set_up_koffertje(actor, programme):
        raise NotAllowed(_("Alleen het programmateam richt koffertjes in."), code="koffertje")
    name = (name or "").strip()
    if not name:
        raise InvalidInput({"region": [_("Geef de naam van de regio.")]})
    if len(name) > REGION_NAME_MAX:
        raise InvalidInput(
            {
                "region": [
                    _("Gebruik voor de naam van de regio hoogstens %(max)d tekens (nu %(n)d).")
                    % {"max": REGION_NAME_MAX, "n": len(name)}
                ]
            }
        )
    try:
        # Before the look-up: PostgreSQL refuses a NUL even in a query.
        validate_single_line(name)
    except ValidationError as exc:
        raise InvalidInput({"region": exc.messages}) from exc
    region = Region.objects.filter(name__iexact=name).first()
    if region is None:
        region = Region(name=name, slug=_region_slug(name))
        try:
            validate_instance(region)
        except InvalidInput as exc:
            raise InvalidInput(
                {"region": [m for messages in exc.errors.values() for m in messages]}
            ) from exc
        region.save()
    elif programme.regions.filter(pk=region.pk).exists():
        raise InvalidInput(
            {"region": [_("Regio ‘%(name)s’ hoort al bij dit programma.") % {"name": region.name}]}
        )
    programme.regions.add(region)
    koffertje, _created = Koffertje.objects.get_or_create(programme=programme, region=region)
    log_action("anchoring.region.added", actor=actor, obj=koffertje, data={"region": region.name})
    return koffertje


def _check_writer(actor, koffertje: Koffertje) -> None:
    if not can_edit_koffertje(actor, koffertje):
        raise NotAllowed(
            _("Alleen de regio zelf en het programmateam vullen dit koffertje."), code="koffertje"
        )


@transaction.atomic
def koffertje_item_add(
    *, actor, koffertje: Koffertje, element: str, text: str, owner: str = "", status: str = ""
) -> KoffertjeItem:
    """Add an item to ``koffertje`` (element, text, owner, status; status default idee).

    Raises NotAllowed unless ``actor`` writes the koffertje; InvalidInput naming the refused
    field (nothing is stored).
    """
    _check_writer(actor, koffertje)
    last = koffertje.items.order_by("-position").values_list("position", flat=True).first()
    item = KoffertjeItem(
        koffertje=koffertje,
        element=element or "",
        text=(text or "").strip(),
        owner=(owner or "").strip(),
        status=status or KoffertjeItem.Status.IDEE,
        position=(last or 0) + 1,
        updated_by=actor,
    )
    validate_instance(item)
    item.save()
    Koffertje.objects.filter(pk=koffertje.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def koffertje_item_update(
    *, actor, item: KoffertjeItem, element: str, text: str, owner: str, status: str
) -> KoffertjeItem:
    """Change an item of a koffertje; same rules and errors as koffertje_item_add."""
    item = KoffertjeItem.objects.select_for_update().select_related("koffertje").get(pk=item.pk)
    _check_writer(actor, item.koffertje)
    item.element = element or ""
    item.text = (text or "").strip()
    item.owner = (owner or "").strip()
    item.status = status or ""
    item.updated_by = actor
    validate_instance(item)
    item.save()
    return item


@transaction.atomic
def koffertje_item_delete(*, actor, item: KoffertjeItem) -> None:
    """Remove an item of a koffertje (raises NotAllowed unless ``actor`` writes it)."""
    _check_writer(actor, item.koffertje)
    log_action(
        "anchoring.koffertje_item.deleted",
        actor=actor,
        obj=item,
        data={"koffertje": item.koffertje_id},
    )
    item.delete()


# Stakeholder field -------------------------------------------------------------------------


def _check_team(actor, programme: Programme) -> None:
    if not can_manage_stakeholders(actor, programme):
        raise NotAllowed(
            _("Alleen het programmateam werkt het stakeholderveld bij."), code="stakeholder"
        )


def _rating(stakeholder: Stakeholder, *, actor, reason: str, at) -> StakeholderRating:
    rating = StakeholderRating(
        stakeholder=stakeholder,
        interest=stakeholder.interest,
        influence=stakeholder.influence,
        level=stakeholder.level,
        direction=stakeholder.direction,
        reason=(reason or "").strip(),
        by=actor,
        at=at,
    )
    validate_instance(rating, exclude=["stakeholder"])
    return rating


@transaction.atomic
def stakeholder_create(
    *,
    actor,
    programme: Programme,
    name: str,
    kind: str,
    interest: int,
    influence: int,
    level: str,
    direction: str,
    reason: str,
    notes: str = "",
    pilot: Pilot | None = None,
) -> Stakeholder:
    """Add a stakeholder to ``programme``'s field with its first rating (dated, with reason).

    Raises NotAllowed unless ``actor`` is on the programme's team; InvalidInput naming the
    refused field (interest/influence outside 1–5, an unknown level, …; nothing is stored).
    """
    _check_team(actor, programme)
    now = timezone.now()
    stakeholder = Stakeholder(
        programme=programme,
        pilot=pilot,
        name=(name or "").strip(),
        kind=kind or "",
        interest=interest,
        influence=influence,
        level=level or "",
        direction=direction or "",
        notes=(notes or "").strip(),
        rated_at=now,
    )
    errors: dict[str, list[str]] = {}
    for check in (lambda: validate_instance(stakeholder),
                  lambda: _rating(stakeholder, actor=actor, reason=reason, at=now)):  # fmt: skip
        try:
            check()
        except InvalidInput as exc:
            for field, messages in exc.errors.items():
                errors.setdefault(field, messages)
    if errors:
        raise InvalidInput(errors)
    stakeholder.save()
    rating = _rating(stakeholder, actor=actor, reason=reason, at=now)
    rating.save()
    return stakeholder


@transaction.atomic
def stakeholder_rate(
    *,
    actor,
    stakeholder: Stakeholder,
    interest: int,
    influence: int,
    level: str,
    direction: str,
    reason: str,
) -> StakeholderRating:
    """Re-rate a stakeholder: a new dated rating with its reason becomes the current one.

    Raises NotAllowed unless ``actor`` is on the programme's team; InvalidInput naming the
    refused field (nothing is stored).
    """
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    _check_team(actor, stakeholder.programme)
    now = timezone.now()
    stakeholder.interest = interest
    stakeholder.influence = influence
    stakeholder.level = level or ""
    stakeholder.direction = direction or ""
    stakeholder.rated_at = now
    errors: dict[str, list[str]] = {}
    try:
        validate_instance(stakeholder)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        rating = _rating(stakeholder, actor=actor, reason=reason, at=now)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            errors.setdefault(field, messages)
    if errors:
        raise InvalidInput(errors)
    stakeholder.save(update_fields=["interest", "influence", "level", "direction", "rated_at"])
    rating.save()
    return rating


def stakeholders_export(*, programme: Programme, user, fmt: str) -> tuple[bytes, str, str]:
    """Return the stakeholder register as ``(content, content type, file name)`` in ``fmt``
    (csv or xlsx), one row per stakeholder with its current rating and dated path.

    Through core.exports (no cell becomes a formula). The named persons column only for the
    programme team (permissions.can_see_named_persons). Raises NotAllowed for who may not
    read the field, DomainError (404) for another format.
    """
    if not can_view_stakeholders(user, programme):
        raise NotAllowed(_("Log in om het stakeholderveld te zien."), code="stakeholders")
    if fmt not in FORMATS:
        raise DomainError(_("Onbekend formaat."), status_code=404)
    with_persons = can_see_named_persons(user, programme)
    header = [
        _("Stakeholder"), _("Soort"), _("Pilot"), _("Belang (1–5)"), _("Invloed (1–5)"),
        _("Trede op de participatieladder"), _("Belofte"), _("Richting"), _("Laatst ingeschat"),
        _("Pad (belang/invloed, datum)"), _("Reden van de laatste inschatting"), _("Notities"),
    ]  # fmt: skip
    if with_persons:
        header.append(_("Contactpersonen"))
    rows = []
    for s in stakeholder_field(programme=programme, with_persons=with_persons):
        ratings = list(s.ratings.all())
        path = " → ".join(
            f"{r.interest}/{r.influence} ({timezone.localtime(r.at):%d-%m-%Y})" for r in ratings
        )
        row = [
            s.name, s.get_kind_display(), s.pilot.title if s.pilot else "", s.interest,
            s.influence, s.get_level_display(), s.promise, s.get_direction_display(),
            s.rated_at, path, ratings[-1].reason if ratings else "", s.notes,
        ]  # fmt: skip
        if with_persons:
            row.append(
                "; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in s.persons.all())
            )
        rows.append(row)
    result = export_table(
        header=[str(h) for h in header],
        rows=rows,
        fmt=fmt,
        name=f"stakeholders-{programme.slug}-{timezone.localdate():%Y-%m-%d}",
        title=_("Stakeholders"),
    )
    log_action(
        "anchoring.stakeholders.exported",
        actor=user,
        obj=programme,
        data={"format": fmt, "persons": with_persons},
    )
    return result


@transaction.atomic
def stakeholder_person_add(
    *, actor, stakeholder: Stakeholder, name: str, role: str = "", member=None
) -> StakeholderPerson:
    """Name a person at a stakeholder (seen by the programme team only).

    Raises NotAllowed unless ``actor`` is on the programme's team; InvalidInput on a refused
    name or role.
    """
    _check_team(actor, stakeholder.programme)
    person = StakeholderPerson(
        stakeholder=stakeholder, name=(name or "").strip(), role=(role or "").strip(),
        member=member,
    )  # fmt: skip
    validate_instance(person)
    person.save()
    return person


@transaction.atomic
def stakeholder_person_remove(*, actor, person: StakeholderPerson) -> None:
    """Remove a named person from the field (programme team)."""
    _check_team(actor, person.stakeholder.programme)
    log_action(
        "anchoring.stakeholder_person.removed",
        actor=actor,
        obj=person,
        data={"stakeholder": person.stakeholder_id},
    )
    person.delete()


def persons_forget(*, user) -> None:
    """Remove the named-person entries that are ``user``'s and unlink the ratings they made."""
    StakeholderPerson.objects.filter(member=user).delete()
    StakeholderRating.objects.filter(by=user).update(by=None)
    KoffertjeItem.objects.filter(updated_by=user).update(updated_by=None)
    for koffertje in Koffertje.objects.filter(writers=user):
        koffertje.writers.remove(user)

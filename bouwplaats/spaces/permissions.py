"""Who may do what in a session's space: the one place that pages and the API both ask."""

from dataclasses import dataclass

from django.db.models import QuerySet

from bouwplaats.events.models import Session

from .models import Comment, Document, Level, Photo, SpacePolicy

KINDS = ("comments", "photos", "documents")

VISITOR, MEMBER, PARTICIPANT, HOST = 0, 1, 2, 3
REQUIRED_ROLE = {Level.PUBLIC: VISITOR, Level.MEMBERS: MEMBER, Level.PARTICIPANTS: PARTICIPANT,
             Level.HOSTS: HOST}  # fmt: skip


def policy_for(session: Session) -> SpacePolicy:
    """Return the session's policy; an unsaved one with the defaults until a host changes it."""
    try:
        return session.space_policy
    except SpacePolicy.DoesNotExist:
        return SpacePolicy(session=session)


def role_of(session: Session, user) -> int:
    """Return the person's standing in the session: visitor, member, participant or host.

    Hosts, co-hosts, the programme team and platform administrators all count as host.
    Pending, waitlisted, declined and cancelled registrations do not make a participant.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return VISITOR
    if session.can_manage(user):
        return HOST
    if session.is_participant(user):
        return PARTICIPANT
    return MEMBER


@dataclass
class SpaceAccess:
    """What one person may do in one session's space, worked out once per request."""

    session: Session
    user: object
    policy: SpacePolicy
    role: int
    session_visible: bool

    def can_view(self, kind: str) -> bool:
        if kind not in KINDS:
            raise ValueError(kind)
        if not self.session_visible:
            return False
        return self.role >= REQUIRED_ROLE[Level(getattr(self.policy, f"{kind}_view"))]

    def visible(self, kind: str, qs: QuerySet) -> QuerySet:
        """Return ``qs`` (the session's comments, photos or documents) if the person may view
        ``kind``, else an empty queryset: the queryset side of can_view."""
        return qs if self.can_view(kind) else qs.none()

    def can_post(self, kind: str) -> bool:
        # Posting needs an account and the view right as well: nobody writes blind.
        if not self.can_view(kind) or self.role == VISITOR:
            return False
        return self.role >= REQUIRED_ROLE[Level(getattr(self.policy, f"{kind}_post"))]

    @property
    def is_host(self) -> bool:
        return self.session_visible and self.role == HOST

    @property
    def is_member(self) -> bool:
        return self.role >= MEMBER

    @property
    def is_participant(self) -> bool:
        return self.role >= PARTICIPANT

    def can_edit_comment(self, comment: Comment) -> bool:
        return comment.author_id == getattr(self.user, "pk", None) and self.can_post("comments")

    def can_delete_comment(self, comment: Comment) -> bool:
        return comment.author_id == getattr(self.user, "pk", None) and self.can_view("comments")

    def can_hide_comment(self, comment: Comment) -> bool:
        return self.is_host and self.can_view("comments")

    def can_see_hidden_text(self, comment: Comment) -> bool:
        return self.is_host

    def can_read_comment(self, comment: Comment) -> bool:
        """Return True if the comment's text (and hiding reason) may be shown to the person."""
        return self.can_view("comments") and (
            not comment.is_hidden or self.can_see_hidden_text(comment)
        )

    def can_subscribe_digest(self) -> bool:
        """Return True if the person may ask for the daily mail of new comments and documents."""
        return self.is_member and (self.can_view("comments") or self.can_view("documents"))

    def can_delete_photo(self, photo: Photo) -> bool:
        if not self.can_view("photos"):
            return False
        return self.is_host or photo.uploaded_by_id == getattr(self.user, "pk", None)

    def can_delete_document(self, document: Document) -> bool:
        if not self.can_view("documents"):
            return False
        return self.is_host or document.uploaded_by_id == getattr(self.user, "pk", None)

    def can_manage_policy(self) -> bool:
        return self.is_host


def space_access(session: Session, user) -> SpaceAccess:
    """Return what ``user`` may do in ``session``'s space."""
    role = role_of(session, user)
    visible = session.status != Session.Status.DRAFT or role == HOST
    return SpaceAccess(
        session=session, user=user, policy=policy_for(session), role=role, session_visible=visible
    )

"""The store: organisation, assessments and handlingsplaner as versioned documents, people's roles, the audit trail.

A document's YAML text is the canonical record and is kept exactly as it was given (comments, key order, bytes);
beside it each version holds the validated data and, for an assessment, the computed result, as JSON for queries.
Versions are only ever added (numbers 1, 2, 3 …); `Assessment.version` and `Plan.version` are the number of the
current version and serve as the optimistic lock (web/store/versions.py). Summary columns on Assessment and Plan
are derived from their current versions in the same transaction, so lists need no document decoding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from evidence.terms import ASSESSMENT_KINDS

ROLES = {
    "inspektor": "inspektör",
    "verksamhetschef": "verksamhetschef",
    "studierektor": "studierektor",
    "regional_studierektor": "regional studierektor",
    "administrator": "administratör",
}


class Encoded(bytes):
    """JSON already encoded as UTF-8 (by the process that graded the document), stored as it is. Bytes, not str: a
    result's text has characters beyond Latin-1 ('–'), which would make a str of it take two bytes a character, and
    an import holds a couple of hundred files' results at a time; PostgreSQL is sent the bytes as they are."""


def _as_is(value: Encoded) -> Encoded:
    return value


class DocumentJSONField(models.JSONField):
    """A JSONField that also takes `Encoded` text, so that an import's workers, not the process that writes to the
    database, pay for encoding the documents' data and results."""

    def get_db_prep_value(self, value: object, connection: object, prepared: bool = False) -> object:
        if isinstance(value, Encoded):
            if getattr(connection, "vendor", "") == "postgresql":
                from psycopg.types.json import Jsonb

                return Jsonb(value, dumps=_as_is)
            return value.decode("utf-8")
        return super().get_db_prep_value(value, connection, prepared)


class Region(models.Model):
    name = models.CharField("namn", max_length=200, unique=True)

    class Meta:
        verbose_name = "region"
        verbose_name_plural = "regioner"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def where(care_provider: str, region: str) -> str:
    """Where a unit is, as the store's batch rows name it in place of a file and its messages tell two units of one
    name apart: 'vårdgivare (region)'."""
    return f"{care_provider} ({region})"


class CareProvider(models.Model):
    region = models.ForeignKey(Region, models.PROTECT, related_name="care_providers", verbose_name="region")
    name = models.CharField("namn", max_length=200)

    class Meta:
        verbose_name = "vårdgivare"
        verbose_name_plural = "vårdgivare"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="care_provider_unique_in_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def where(self) -> str:
        return where(self.name, self.region.name)


class Unit(models.Model):
    care_provider = models.ForeignKey(CareProvider, models.PROTECT, related_name="units", verbose_name="vårdgivare")
    name = models.CharField("namn", max_length=200, db_index=True)
    specialty = models.CharField("specialitet", max_length=200)
    # as the unit's latest assessment records it (enhet.senaste_externa_granskning)
    last_external_review = models.DateField("senaste externa granskning", null=True, blank=True)
    archived = models.BooleanField("arkiverad", default=False)

    class Meta:
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["care_provider", "name"], name="unit_unique_in_care_provider")]

    def __str__(self) -> str:
        return self.name


class DocumentVersion(models.Model):
    """One saved version of a YAML document: never changed, never deleted by an ordinary user."""

    number = models.PositiveIntegerField("version")
    text = models.TextField("YAML-text")
    sha256 = models.CharField(max_length=64, db_index=True)
    data = DocumentJSONField("validerade uppgifter")
    created_at = models.DateTimeField("sparad", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="sparad av"
    )
    author = models.CharField("sparad av (namn)", max_length=150)  # kept when the user is removed
    source = models.CharField("källa", max_length=500, blank=True)  # a file, the web form, the demo, a follow-up

    class Meta:
        abstract = True


class Assessment(models.Model):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="assessments", verbose_name="enhet")
    date = models.DateField("bedömningsdatum")
    kind = models.CharField("typ", max_length=20, choices=[(k, k) for k in ASSESSMENT_KINDS])
    version = models.PositiveIntegerField("aktuell version", default=0)
    current = models.ForeignKey(
        "AssessmentVersion", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="aktuell version"
    )
    # the earlier assessment's handlingsplan that this follow-up assessment carried forward
    follows_plan = models.ForeignKey(
        "Plan", models.PROTECT, null=True, blank=True, related_name="followups", verbose_name="följer upp planen"
    )
    archived = models.BooleanField("arkiverad", default=False)
    created_at = models.DateTimeField("skapad", default=timezone.now)
    # summary of the current version (after the assessment's own plan where one applies): one letter per area
    grades = models.CharField("betyg", max_length=16, blank=True)
    engine_grades = models.CharField("betyg före handlingsplan", max_length=16, blank=True)
    best_case = models.CharField("bästa fall", max_length=16, blank=True)
    provisional = models.CharField("preliminära områden", max_length=16, blank=True)
    external_review = models.DateField("senaste externa granskning", null=True, blank=True)
    rules_version = models.CharField("regelversion", max_length=100, blank=True)

    class Meta:
        verbose_name = "bedömning"
        verbose_name_plural = "bedömningar"
        ordering = ["unit", "date", "kind"]
        constraints = [models.UniqueConstraint(fields=["unit", "date", "kind"], name="assessment_unique_per_day")]
        indexes = [models.Index(fields=["unit", "date"], name="assessment_unit_date")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.date.isoformat()} ({self.kind})"


class AssessmentVersion(DocumentVersion):
    assessment = models.ForeignKey(Assessment, models.PROTECT, related_name="versions", verbose_name="bedömning")
    result = DocumentJSONField("beräknat resultat")
    rules_version = models.CharField("regelversion", max_length=100)

    class Meta:
        verbose_name = "version av bedömning"
        verbose_name_plural = "versioner av bedömningar"
        ordering = ["assessment", "number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="assessment_version_unique")]


class Plan(models.Model):
    """The handlingsplan answering one assessment (the report it answers: its `bedomningsdatum`)."""

    assessment = models.OneToOneField(Assessment, models.PROTECT, related_name="plan", verbose_name="bedömning")
    version = models.PositiveIntegerField("aktuell version", default=0)
    current = models.ForeignKey(
        "PlanVersion", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="aktuell version"
    )
    archived = models.BooleanField("arkiverad", default=False)
    created_at = models.DateTimeField("skapad", default=timezone.now)
    # summary of the current version
    submitted = models.DateField("inlämnad", null=True, blank=True)
    deadline = models.DateField("sista inlämningsdag", null=True, blank=True)
    verdicts = models.JSONField("bedömning efter planen", default=dict)  # area -> grade, verdict, text, reasons

    class Meta:
        verbose_name = "handlingsplan"
        verbose_name_plural = "handlingsplaner"

    def __str__(self) -> str:
        return f"Handlingsplan för {self.assessment}"


class PlanVersion(DocumentVersion):
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="versions", verbose_name="handlingsplan")
    # the later assessment this version was merged with (a follow-up carrying the plan forward), if any
    based_on = models.ForeignKey(
        Assessment, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="uppföljd med"
    )

    class Meta:
        verbose_name = "version av handlingsplan"
        verbose_name_plural = "versioner av handlingsplaner"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]


class Membership(models.Model):
    """A user's role on exactly one of a unit, a care provider (vårdgivare) or a region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name="användare"
    )
    role = models.CharField("roll", max_length=30, choices=list(ROLES.items()))
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="enhet")
    care_provider = models.ForeignKey(
        CareProvider, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="vårdgivare"
    )
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="region")
    created_at = models.DateTimeField("skapat", default=timezone.now)
    ended_at = models.DateTimeField("avslutat", null=True, blank=True)

    class Meta:
        verbose_name = "medlemskap"
        verbose_name_plural = "medlemskap"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, care_provider__isnull=True, region__isnull=True)
                    | Q(unit__isnull=True, care_provider__isnull=False, region__isnull=True)
                    | Q(unit__isnull=True, care_provider__isnull=True, region__isnull=False)
                ),
                name="membership_on_one_level",
            )
        ]

    @property
    def target(self) -> Unit | CareProvider | Region:
        return self.unit or self.care_provider or self.region  # type: ignore[return-value]

    def __str__(self) -> str:
        return f"{self.user.get_username()}: {ROLES[self.role]} för {self.target}"


class AuditEvent(models.Model):
    """Who changed what, when, and the difference. Kept whatever happens to the object (it is only archived)."""

    at = models.DateTimeField("tid", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="av"
    )
    actor_name = models.CharField("av (namn)", max_length=150)
    action = models.CharField("händelse", max_length=40)
    object_kind = models.CharField("objekttyp", max_length=20)
    object_id = models.BigIntegerField("objekt-id")
    object_label = models.CharField("objekt", max_length=500)
    # where the object lies, so that an administrator of a unit, care provider or region reads its events
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="enhet")
    care_provider = models.ForeignKey(
        CareProvider, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="vårdgivare"
    )
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="region")
    version = models.PositiveIntegerField("version", null=True, blank=True)
    summary = models.TextField("sammanfattning", blank=True)
    diff = models.TextField("skillnad", blank=True)

    class Meta:
        verbose_name = "händelse"
        verbose_name_plural = "granskningslogg"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_kind", "object_id"], name="audit_object")]


class CalendarToken(models.Model):
    """A personal calendar subscription (the web app's ICS address): the secret's SHA-256 only, revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_tokens", verbose_name="användare"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("skapad", default=timezone.now)
    revoked_at = models.DateTimeField("återkallad", null=True, blank=True)

    class Meta:
        verbose_name = "kalenderprenumeration"
        verbose_name_plural = "kalenderprenumerationer"

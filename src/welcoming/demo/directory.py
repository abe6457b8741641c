"""A sample directory of newcomer services for five real communities, clearly marked as sample.

The communities and their points are real (Statistics Canada geography); the organizations,
services, addresses and phone numbers are invented, and every record says so: names end in
"(sample)" / "(exemple)", each service carries a "Sample data" alert shown on its page, phone
numbers are in the 555-01xx range reserved for fiction, and the source is `welcoming-demo`.

Moncton (French and English services), Brandon, Toronto, Whitehorse (English and French) and
Sherbrooke (French). Running the builder twice changes nothing.
"""

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

from django.db import transaction

from welcoming.core.history import acting_as
from welcoming.core.models import Community, Organization
from welcoming.directory.models import (
    Address,
    CostOption,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from welcoming.directory.search_index import service_search_entries_refresh
from welcoming.directory.steward_services import service_tags_set
from welcoming.directory.taxonomy import NEWCOMER_TAXONOMY_CODE, hsds_id, taxonomy_load

SOURCE = "welcoming-demo"
SAMPLE_ALERT_EN = "Sample data: this service is invented for the demonstration and does not exist."
SAMPLE_ALERT_FR = (
    "Données d'exemple : ce service est inventé pour la démonstration et n'existe pas."
)


@dataclass(frozen=True)
class SampleCommunity:
    code: str  # SGC code of the municipality
    province: str
    city: str
    area_code: str
    postal_prefix: str  # a real forward sortation area of the municipality
    french: bool  # French services offered
    english: bool = True


COMMUNITIES = (
    SampleCommunity("1307022", "NB", "Moncton", "506", "E1C", french=True),
    SampleCommunity("4607062", "MB", "Brandon", "204", "R7A", french=False),
    SampleCommunity("3520005", "ON", "Toronto", "416", "M5V", french=False),
    SampleCommunity("6001009", "YT", "Whitehorse", "867", "Y1A", french=True),
    SampleCommunity("2443027", "QC", "Sherbrooke", "819", "J1H", french=True, english=False),
)


@dataclass(frozen=True)
class SampleOrganization:
    key: str
    name_en: str
    name_fr: str
    sector: str


# The demo's two synthetic organizations (demo/services.py) and three more sample ones.
ORGANIZATIONS = (
    SampleOrganization("agency", "Demo settlement agency (synthetic)",
                       "Organisme d'établissement de démonstration (fictif)",
                       Organization.Sector.SETTLEMENT),
    SampleOrganization("city", "Demo city hall (synthetic)",
                       "Hôtel de ville de démonstration (fictif)", Organization.Sector.MUNICIPAL),
    SampleOrganization("francophone", "Francophone newcomer centre (sample)",
                       "Centre francophone d'accueil des nouveaux arrivants (exemple)",
                       Organization.Sector.SETTLEMENT),
    SampleOrganization("library", "Public library (sample)", "Bibliothèque publique (exemple)",
                       Organization.Sector.LIBRARY),
    SampleOrganization("health", "Community health centre (sample)",
                       "Centre de santé communautaire (exemple)", Organization.Sector.HEALTH),
)  # fmt: skip


@dataclass(frozen=True)
class Site:
    key: str
    organization: str
    name_en: str
    name_fr: str
    street: str
    offset: tuple[float, float]  # from the community's point, in degrees (under 2 km)
    transportation_en: str
    transportation_fr: str


SITES = (
    Site("welcome", "agency", "Welcome Centre (sample)", "Centre d'accueil (exemple)",
         "120 Main Street", (0.004, -0.006), "Bus stop at the door; free parking behind.",
         "Arrêt d'autobus à la porte; stationnement gratuit à l'arrière."),
    Site("francophone", "francophone", "Francophone centre (sample)",
         "Centre francophone (exemple)", "45 rue Champlain", (-0.005, 0.007),
         "Ten minutes' walk from the bus terminal.",
         "À dix minutes de marche du terminus d'autobus."),
    Site("library", "library", "Central library (sample)", "Bibliothèque centrale (exemple)",
         "300 King Street", (0.002, 0.003), "Downtown, beside the transit hub.",
         "Au centre-ville, à côté du pôle de transport en commun."),
    Site("clinic", "health", "Health centre (sample)", "Centre de santé (exemple)",
         "75 Union Street", (-0.003, -0.004), "Accessible entrance on the side street.",
         "Entrée accessible sur la rue transversale."),
    Site("city", "city", "City hall (sample)", "Hôtel de ville (exemple)", "655 Queen Street",
         (0.001, -0.001), "Main floor, information desk.",
         "Rez-de-chaussée, comptoir d'information."),
)  # fmt: skip

WEEKDAYS = "MO,TU,WE,TH,FR"


@dataclass(frozen=True)
class Hours:
    byday: str
    opens: time
    closes: time


DAYTIME = Hours(WEEKDAYS, time(8, 30), time(16, 30))
EVENINGS = Hours("TU,TH", time(18, 0), time(20, 30))
SATURDAY = Hours("SA", time(10, 0), time(14, 0))

PR_CARD = ("Permanent resident card or confirmation of permanent residence",
           "Carte de résident permanent ou confirmation de résidence permanente")  # fmt: skip
PASSPORT = ("Passport or other photo identification",
            "Passeport ou autre pièce d'identité avec photo")  # fmt: skip
PROOF_OF_ADDRESS = ("Proof of address (a lease or a bill)",
                    "Preuve d'adresse (un bail ou une facture)")  # fmt: skip
REPORT_CARDS = ("The child's latest report cards, if any",
                "Les derniers bulletins scolaires de l'enfant, s'il y en a")  # fmt: skip
IFHP = ("Interim Federal Health Program certificate, if you have one",
        "Certificat du Programme fédéral de santé intérimaire, si vous en avez un")  # fmt: skip


@dataclass(frozen=True)
class SampleService:
    key: str
    site: str
    terms: tuple[str, ...]
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    eligibility_en: str
    eligibility_fr: str
    languages: tuple[str, ...]
    hours: tuple[Hours, ...] = (DAYTIME,)
    documents: tuple[tuple[str, str], ...] = ()
    fee: Decimal | None = None  # None: free
    minimum_age: int | None = None
    maximum_age: int | None = None
    french_only: bool = False  # offered where the community has French services only
    english_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


ELIGIBLE_PR = (
    "Permanent residents, protected persons and refugees; some services for temporary "
    "residents too.",
    "Résidents permanents, personnes protégées et réfugiés; certains services aussi pour les "
    "résidents temporaires.",
)
EVERYONE = ("Everyone; no appointment needed.", "Tout le monde; sans rendez-vous.")

SERVICES = (
    SampleService(
        "welcome-centre",
        "welcome",
        ("welcome-centres", "settlement-information-orientation"),
        "Welcome Centre drop-in (sample)",
        "Accueil sans rendez-vous du Centre d'accueil (exemple)",
        "A first stop for newcomers: information, referrals and help with forms, in several "
        "languages.",
        "Un premier arrêt pour les nouveaux arrivants : information, aiguillage et aide pour "
        "remplir les formulaires, en plusieurs langues.",
        *EVERYONE,
        languages=("eng", "fra", "ara", "spa", "ukr"),
        hours=(DAYTIME, SATURDAY),
        english_only=True,
    ),
    SampleService(
        "needs-assessment",
        "welcome",
        ("settlement", "settlement-needs-assessment"),
        "Settlement needs assessment and referrals (sample)",
        "Évaluation des besoins en établissement et aiguillage (exemple)",
        "A settlement worker meets you, reviews your needs and makes a settlement plan with you.",
        "Un intervenant en établissement vous rencontre, examine vos besoins et établit avec "
        "vous un plan d'établissement.",
        *ELIGIBLE_PR,
        languages=("eng", "ara", "tgl", "pan"),
        documents=(PR_CARD, PASSPORT),
        english_only=True,
    ),
    SampleService(
        "linc",
        "welcome",
        ("language-training", "language-linc-clic"),
        "LINC English classes (sample)",
        "Cours d'anglais LINC (exemple)",
        "Free English classes from beginner to advanced levels, with child care on site.",
        "Cours d'anglais gratuits du niveau débutant au niveau avancé, avec garde d'enfants sur "
        "place.",
        "Permanent residents and protected persons 18 or older; a language assessment first.",
        "Résidents permanents et personnes protégées de 18 ans ou plus; évaluation linguistique "
        "au préalable.",
        languages=("eng",),
        hours=(DAYTIME, EVENINGS),
        documents=(PR_CARD,),
        minimum_age=18,
        english_only=True,
    ),
    SampleService(
        "employment",
        "welcome",
        ("employment", "employment-job-search", "employment-credentials"),
        "Employment counselling and credential recognition (sample)",
        "Counseling d'emploi et reconnaissance des titres de compétences (exemple)",
        "Résumés, interviews, the local job market and help to have foreign credentials assessed.",
        "Curriculum vitæ, entrevues, marché du travail local et aide pour faire évaluer les "
        "titres de compétences étrangers.",
        *ELIGIBLE_PR,
        languages=("eng", "spa", "tgl"),
        documents=(PR_CARD,),
        english_only=True,
    ),
    SampleService(
        "clic",
        "francophone",
        ("language-training", "language-linc-clic", "settlement-francophone"),
        "CLIC French classes (sample)",
        "Cours de français CLIC (exemple)",
        "Free French classes (Cours de langue pour les immigrants au Canada) at every level.",
        "Cours de français gratuits (Cours de langue pour les immigrants au Canada) à tous les "
        "niveaux.",
        "Permanent residents and protected persons 18 or older.",
        "Résidents permanents et personnes protégées de 18 ans ou plus.",
        languages=("fra",),
        hours=(DAYTIME, EVENINGS),
        documents=(PR_CARD,),
        minimum_age=18,
        french_only=True,
    ),
    SampleService(
        "francophone-settlement",
        "francophone",
        ("settlement", "settlement-francophone", "settlement-needs-assessment"),
        "Francophone settlement services (sample)",
        "Services d'établissement francophones (exemple)",
        "Settlement help in French: orientation, housing search, school registration and "
        "referrals to French-language services.",
        "Aide à l'établissement en français : orientation, recherche de logement, inscription "
        "scolaire et aiguillage vers les services en français.",
        *ELIGIBLE_PR,
        languages=("fra", "eng", "swh", "ara"),
        documents=(PR_CARD, PASSPORT),
        french_only=True,
    ),
    SampleService(
        "swis",
        "welcome",
        ("education", "education-swis", "children-families"),
        "Settlement Workers in Schools (sample)",
        "Travailleurs d'établissement dans les écoles (exemple)",
        "Settlement workers in schools help newcomer students and parents with school and "
        "community services.",
        "Des intervenants en établissement dans les écoles aident les élèves nouveaux arrivants "
        "et leurs parents à s'orienter à l'école et dans la collectivité.",
        "Newcomer students from kindergarten to grade 12 and their families.",
        "Élèves nouveaux arrivants de la maternelle à la 12e année et leur famille.",
        languages=("eng", "fra", "ara", "pes"),
        documents=(REPORT_CARDS,),
        maximum_age=21,
    ),
    SampleService(
        "library-settlement",
        "library",
        ("libraries", "language-conversation", "connections-groups"),
        "Library settlement services and conversation circles (sample)",
        "Services d'établissement et cercles de conversation à la bibliothèque (exemple)",
        "A settlement worker at the library, conversation circles, computers and books in many "
        "languages.",
        "Un intervenant en établissement à la bibliothèque, des cercles de conversation, des "
        "ordinateurs et des livres en plusieurs langues.",
        *EVERYONE,
        languages=("eng", "fra", "cmn", "ukr"),
        hours=(DAYTIME, SATURDAY),
    ),
    SampleService(
        "mental-health",
        "clinic",
        ("health", "health-mental-health", "health-community-centre"),
        "Newcomer mental health and counselling (sample)",
        "Santé mentale et counseling pour nouveaux arrivants (exemple)",
        "Counselling with interpreters, support groups and help for people who lived through "
        "war or trauma.",
        "Counseling avec interprètes, groupes de soutien et aide aux personnes qui ont vécu la "
        "guerre ou un traumatisme.",
        "Newcomers of any status, including refugee claimants.",
        "Nouveaux arrivants de tout statut, y compris les demandeurs d'asile.",
        languages=("eng", "fra", "ara", "tir"),
        documents=(IFHP,),
    ),
    SampleService(
        "interpretation",
        "clinic",
        ("interpretation-translation", "interpretation"),
        "Interpretation for health appointments (sample)",
        "Interprétation pour les rendez-vous de santé (exemple)",
        "An interpreter by phone or in person for appointments at the health centre.",
        "Un interprète par téléphone ou en personne pour les rendez-vous au centre de santé.",
        *EVERYONE,
        languages=("eng", "fra", "ara", "spa", "tir", "pes"),
        fee=None,
    ),
    SampleService(
        "mentoring",
        "city",
        ("community-connections", "connections-mentoring", "connections-volunteering"),
        "Community connections mentoring program (sample)",
        "Programme de mentorat de connexions communautaires (exemple)",
        "A newcomer is matched with a local volunteer for six months of outings and advice.",
        "Un nouvel arrivant est jumelé à un bénévole de la collectivité pour six mois de "
        "sorties et de conseils.",
        *ELIGIBLE_PR,
        languages=("eng", "fra"),
        hours=(EVENINGS, SATURDAY),
    ),
    SampleService(
        "youth",
        "welcome",
        ("youth", "connections-groups"),
        "Newcomer youth club (sample)",
        "Club des jeunes nouveaux arrivants (exemple)",
        "Homework help, sports and leadership activities for newcomer youth.",
        "Aide aux devoirs, sports et activités de leadership pour les jeunes nouveaux arrivants.",
        "Newcomer youth aged 13 to 24.",
        "Jeunes nouveaux arrivants de 13 à 24 ans.",
        languages=("eng", "fra"),
        hours=(EVENINGS,),
        minimum_age=13,
        maximum_age=24,
    ),
    SampleService(
        "citizenship",
        "library",
        ("legal", "legal-citizenship"),
        "Citizenship test preparation (sample)",
        "Préparation à l'examen de citoyenneté (exemple)",
        "Eight weekly sessions to prepare the citizenship test; a small fee covers the study "
        "guide.",
        "Huit séances hebdomadaires pour préparer l'examen de citoyenneté; des frais modestes "
        "couvrent le guide d'étude.",
        "Permanent residents preparing their citizenship application.",
        "Résidents permanents qui préparent leur demande de citoyenneté.",
        languages=("eng", "fra"),
        hours=(EVENINGS,),
        documents=(PR_CARD,),
        fee=Decimal("20.00"),
    ),
)


def directory_demo_load(*, actor: Any) -> int:
    """Load the taxonomies and the sample directory; return the services created (0 the
    second time). Communities missing from the database are skipped."""
    taxonomy_load(actor=actor)
    with acting_as(actor), transaction.atomic():
        created = _load(actor)
        service_search_entries_refresh(
            service_ids=Service.objects.filter(source=SOURCE).values_list("pk", flat=True)
        )
    from welcoming.directory.indicator import directory_indicator_refresh

    directory_indicator_refresh(actor=actor)
    return created


def _load(actor: Any) -> int:
    communities = {
        c.code: c for c in Community.objects.filter(code__in=[s.code for s in COMMUNITIES])
    }
    organizations = {o.key: _organization(o) for o in ORGANIZATIONS}
    terms = {
        t.code: t
        for t in TaxonomyTerm.objects.filter(taxonomy__hsds_id=hsds_id(NEWCOMER_TAXONOMY_CODE))
    }
    created = 0
    for place in COMMUNITIES:
        community = communities.get(place.code)
        if community is None or community.latitude is None:
            continue
        sites = {site.key: _location(site, place, community, organizations) for site in SITES}
        for number, sample in enumerate(SERVICES):
            if (sample.french_only and not place.french) or (
                sample.english_only and not place.english
            ):
                continue
            created += _service(sample, number, place, community, sites, terms, actor)
    return created


def _organization(sample: SampleOrganization) -> Organization:
    organization = Organization.objects.filter(name_en=sample.name_en).first()
    if organization is None:
        organization = Organization(
            name_en=sample.name_en, name_fr=sample.name_fr, sector=sample.sector
        )
        organization.full_clean()
        organization.save()
    return organization


def _location(
    site: Site,
    place: SampleCommunity,
    community: Community,
    organizations: dict[str, Organization],
) -> Location:
    source_id = f"{place.code}-site-{site.key}"
    location = Location.objects.filter(source=SOURCE, source_id=source_id).first()
    if location is not None:
        return location
    latitude = round(community.latitude + site.offset[0], 6)  # type: ignore[operator]
    longitude = round(community.longitude + site.offset[1], 6)  # type: ignore[operator]
    location = Location(
        source=SOURCE,
        source_id=source_id,
        organization=organizations[site.organization],
        name_en=f"{site.name_en}, {place.city}",
        name_fr=f"{site.name_fr}, {place.city}",
        transportation_en=site.transportation_en,
        transportation_fr=site.transportation_fr,
        latitude=latitude,
        longitude=longitude,
        community=community,
    )
    location.full_clean()
    location.save()
    Address.objects.create(
        location=location,
        address_1=site.street,
        address_2="Sample address / adresse d'exemple",
        city=place.city,
        state_province=place.province,
        postal_code=f"{place.postal_prefix} {1 + SITES.index(site)}A{SITES.index(site)}",
    )
    return location


def _service(
    sample: SampleService,
    number: int,
    place: SampleCommunity,
    community: Community,
    sites: dict[str, Location],
    terms: dict[str, TaxonomyTerm],
    actor: Any,
) -> int:
    source_id = f"{place.code}-{sample.key}"
    if Service.objects.filter(source=SOURCE, source_id=source_id).exists():
        return 0
    site = sites[sample.site]
    service = Service(
        source=SOURCE,
        source_id=source_id,
        organization=site.organization,
        name_en=sample.name_en,
        name_fr=sample.name_fr,
        description_en=sample.description_en,
        description_fr=sample.description_fr,
        eligibility_description_en=sample.eligibility_en,
        eligibility_description_fr=sample.eligibility_fr,
        fees_description_en="Free." if sample.fee is None else f"${sample.fee} (sample fee).",
        fees_description_fr="Gratuit."
        if sample.fee is None
        else f"{sample.fee} $ (frais d'exemple).",
        alert_en=SAMPLE_ALERT_EN,
        alert_fr=SAMPLE_ALERT_FR,
        minimum_age=sample.minimum_age,
        maximum_age=sample.maximum_age,
    )
    service.full_clean()
    service.save()
    ServiceAtLocation.objects.create(service=service, location=site)
    ServiceArea.objects.create(
        service=service, name_en=place.city, name_fr=place.city, community=community
    )
    Phone.objects.create(
        service=service,
        number=f"{place.area_code}-555-{100 + number:04d}",
        type=Phone.PhoneType.VOICE,
        description_en="Sample number (not in service)",
        description_fr="Numéro d'exemple (hors service)",
    )
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            freq=Schedule.Frequency.WEEKLY,
            byday=hours.byday,
            opens_at=hours.opens,
            closes_at=hours.closes,
        )
        for hours in sample.hours
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(service=service, document_en=en, document_fr=fr)
        for en, fr in sample.documents
    )
    CostOption.objects.create(
        service=service,
        option_en="Free" if sample.fee is None else "Fee",
        option_fr="Gratuit" if sample.fee is None else "Frais",
        currency="CAD",
        amount=sample.fee or Decimal("0"),
    )
    service_tags_set(
        actor=actor,
        service=service,
        term_ids=[terms[code].pk for code in sample.terms],
        language_codes=sample.languages,
    )
    return 1

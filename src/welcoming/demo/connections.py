"""Sample connection programs, newcomers and hosts for the two demo organizations.

The people are synthetic and say so ("Sample newcomer 12", `is_sample`, a "Sample data" note on
their pages); the places are real: Moncton and Dieppe for the demo agency, Brandon and Winnipeg
for the demo city hall (Statistics Canada's 2021 census subdivisions, their interior points, and
real forward sortation areas). Occupations are real NOC 2021 unit groups, languages ISO 639-3.
The same seed gives the same people; a second run changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from welcoming.accounts.models import User
from welcoming.connections.models import HostProfile, NewcomerProfile, Program
from welcoming.connections.services import host_profile_save, newcomer_profile_save, program_save
from welcoming.core.models import Community, Organization

SEED = 17
TODAY = date(2026, 1, 15)  # a fixed "today": the same sample whenever the demo is loaded

FSAS = {  # real forward sortation areas of each municipality (data/geo/fsa_points_geonames.csv)
    "1307022": ["E1A", "E1C", "E1E", "E1G"],  # Moncton
    "1307045": ["E1A"],  # Dieppe
    "4607062": ["R7A", "R7B", "R7C"],  # Brandon
    "4611040": ["R2K", "R2M", "R2W", "R3M", "R3T"],  # Winnipeg
}
FIRST_LANGUAGES = ["ara", "tir", "ukr", "spa", "prs", "tgl", "pan", "som", "swa", "zho", "lin"]
NOC_CODES = ["31301", "21231", "73300", "41220", "63200", "72310", "11100", "42202", "21300"]
INTERESTS = ["sports", "outdoors", "arts", "music", "cooking", "reading", "technology", "games"]


@dataclass(frozen=True)
class SampleProgram:
    name_en: str
    name_fr: str
    kind: str
    communities: tuple[str, ...]
    languages: tuple[str, ...]
    eligibility: tuple[str, ...] = ()
    team: tuple[int, int] | None = None
    delivery: str = "in_person"
    schedule_en: str = ""
    schedule_fr: str = ""


PROGRAMS = {
    "agency": (
        SampleProgram(
            "One-to-one mentoring (sample)",
            "Mentorat individuel (exemple)",
            "mentoring",
            ("1307022", "1307045"),
            ("eng", "fra"),
        ),
        SampleProgram(
            "Welcome teams for families (sample)",
            "Équipes d'accueil des familles (exemple)",
            "host_family",
            ("1307022", "1307045"),
            ("eng", "fra"),
            team=(3, 5),
        ),
        SampleProgram(
            "French conversation circle (sample)",
            "Cercle de conversation en français (exemple)",
            "conversation_circle",
            ("1307022", "1307045"),
            ("fra",),
            delivery="both",
            schedule_en="Tuesdays, 6 to 8 pm",
            schedule_fr="Les mardis, de 18 h à 20 h",
        ),
        SampleProgram(
            "Employment mentoring (sample)",
            "Mentorat pour l'emploi (exemple)",
            "employment_mentoring",
            ("1307022",),
            ("eng", "fra"),
            eligibility=("job_seeker",),
            delivery="both",
        ),
    ),
    "city": (
        SampleProgram(
            "Seniors network (sample)",
            "Réseau des aînés (exemple)",
            "seniors_network",
            ("4607062",),
            ("eng",),
            eligibility=("senior",),
        ),
        SampleProgram(
            "Family and early-childhood network (sample)",
            "Réseau famille et petite enfance (exemple)",
            "family_network",
            ("4611040",),
            ("eng", "fra"),
            eligibility=("children_under_6",),
        ),
    ),
}


def demo_connections_load(*, actor: User) -> int:
    """Sample programs, newcomers and hosts in each demo organization that has none yet;
    return how many people were made."""
    from .services import DEMO_ORGANIZATIONS, demo_username

    made = 0
    for demo in DEMO_ORGANIZATIONS:
        organization = Organization.objects.get(name_en=demo.name_en)
        if NewcomerProfile.objects.filter(organization=organization, is_sample=True).exists():
            continue
        programs = [_program(actor, organization, sample) for sample in PROGRAMS[demo.key]]
        accounts = {
            role: User.objects.filter(username=demo_username(demo, role)).first()
            for role in ("newcomer", "volunteer")
        }
        made += _people(actor, organization, programs, accounts, seed=SEED + len(demo.key))
    return made


def _program(actor: User, organization: Organization, sample: SampleProgram) -> Program:
    fields = {
        "organization": organization,
        "name_en": sample.name_en,
        "name_fr": sample.name_fr,
        "description_en": "A sample program made by the demo: its people are synthetic.",
        "description_fr": "Un programme d'exemple créé par la démonstration : ses personnes "
        "sont fictives.",
        "kind": sample.kind,
        "languages": list(sample.languages),
        "eligibility": list(sample.eligibility),
        "team_size_min": sample.team[0] if sample.team else None,
        "team_size_max": sample.team[1] if sample.team else None,
        "delivery": sample.delivery,
        "schedule_en": sample.schedule_en,
        "schedule_fr": sample.schedule_fr,
    }
    communities = Community.objects.filter(code__in=sample.communities)
    return program_save(actor=actor, program=Program(), fields=fields, communities=communities)


def _common(rng: random.Random, organization: Organization, programs: list[Program]) -> dict:
    program = rng.choice(programs)
    community = rng.choice(list(program.communities.all()))
    return {
        "organization": organization,
        "community": community,
        "postal_code": rng.choice(FSAS[community.code]) if rng.random() < 0.85 else "",
        "availability": rng.getrandbits(21) | (1 << rng.randrange(21)),
        "online_ok": rng.random() < 0.4,
        "interests": sorted(rng.sample(INTERESTS, rng.randint(1, 3))),
        "programs": [program],
        "preferred_language": rng.choice(["en", "fr"]),
    }


def _people(
    actor: User,
    organization: Organization,
    programs: list[Program],
    accounts: dict[str, User | None],
    *,
    seed: int,
) -> int:
    rng = random.Random(seed)
    for number in range(1, 41):
        fields = _common(rng, organization, programs)
        program = fields["programs"][0]
        senior = "senior" in program.eligibility or rng.random() < 0.1
        children = [rng.randint(0, 5)] if "children_under_6" in program.eligibility else []
        if rng.random() < 0.3:
            children.append(rng.randint(6, 17))
        first = rng.choice(FIRST_LANGUAGES)
        official = "fra" if "fra" in program.languages and rng.random() < 0.5 else "eng"
        fields.update(
            name=f"Sample newcomer {number}",
            arrival_date=TODAY - timedelta(days=rng.randint(20, 900)),
            age_group="senior" if senior else rng.choice(["youth", "adult", "adult"]),
            children_ages=sorted(children),
            goals=["employment"] if "job_seeker" in program.eligibility else ["friendship"],
            noc_code=rng.choice(NOC_CODES) if rng.random() < 0.7 else "",
            is_refugee=rng.random() < 0.3,
            is_single_parent=bool(children) and rng.random() < 0.2,
            is_isolated_senior=senior and rng.random() < 0.5,
        )
        profile = NewcomerProfile(
            is_sample=True, user=accounts["newcomer"] if number == 1 else None
        )
        newcomer_profile_save(
            actor=actor,
            profile=profile,
            fields=fields,
            languages=[(first, 4), (official, rng.randint(2, 3))],
            consent_given=True,
        )
    for number in range(1, 26):
        fields = _common(rng, organization, programs)
        program = fields["programs"][0]
        group = program.kind in {"conversation_circle", "seniors_network", "family_network"}
        screening = rng.choices(["screened", "unscreened", "expired"], weights=[8, 1, 1])[0]
        checked = TODAY - timedelta(days=rng.randint(30, 700))
        if screening == "expired":
            checked = TODAY - timedelta(days=1200)
        fields.update(
            name=f"Sample {'group' if group else 'host'} {number}",
            kind="group" if group else rng.choice(["volunteer", "mentor"]),
            capacity=rng.randint(4, 12) if group else rng.randint(1, 3),
            max_distance_km=float(rng.choice([5, 10, 15, 25])),
            noc_code=rng.choice(NOC_CODES),
            children_ages=[rng.randint(1, 15)] if rng.random() < 0.3 else [],
            offers=["woman"] if rng.random() < 0.5 else [],
            police_check_date=None if screening == "unscreened" else checked,
            police_check_expires=None if screening == "unscreened" else checked + timedelta(1095),
            training_completed_on=None if screening == "unscreened" else checked,
        )
        languages = [("eng", 4)] if rng.random() < 0.6 else [("fra", 4), ("eng", 3)]
        if rng.random() < 0.2:
            languages.append((rng.choice(FIRST_LANGUAGES), 3))
        host = HostProfile(is_sample=True, user=accounts["volunteer"] if number == 1 else None)
        host_profile_save(actor=actor, profile=host, fields=fields, languages=languages)
    return 40 + 25

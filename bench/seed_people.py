"""Members, their consent ledger, and photographers' profiles for the benchmark seed."""

from __future__ import annotations

import string
from datetime import date, timedelta

from bench.seed_load import BulkWriter
from bench.seed_plan import (
    ACTIVE,
    PENDING,
    REGION_KO,
    REGION_WEIGHTS,
    SPECIALTY_WEIGHTS,
    Population,
    SeedPlan,
    weighted,
)
from bench.seed_shoots import ShootWriter
from bench.seed_text import bio, person_name, studio_name
from models.consent import CONSENT_ITEMS
from services.field_crypto import encrypt_field

COLUMNS = {
    "members": (
        "id",
        "email",
        "email_key",
        "password_hash",
        "name",
        "birth_date",
        "phone_encrypted",
        "preferred_region",
        "language",
        "status",
        "session_version",
        "created_at",
        "email_verified_at",
        "last_active_at",
        "corrections_requested",
    ),
    "consent_events": ("id", "member_id", "item", "granted", "policy_version", "channel", "occurred_at"),
    "photographer_profiles": (
        "id",
        "member_id",
        "display_name",
        "bio_ko",
        "bio_en",
        "starting_price",
        "languages",
        "rating",
        "review_count",
        "created_at",
        "updated_at",
    ),
    "profile_regions": ("profile_id", "region"),
    "profile_specialties": ("profile_id", "specialty"),
    "blocked_dates": ("profile_id", "day"),
    "portfolio_photos": ("id", "profile_id", "stored_name", "width", "height", "created_at"),
}
NAME_ALPHABET = string.ascii_letters + string.digits + "-_"


def _birth_date(rng, anchor: date) -> date:
    # Mostly 20 to 45, none under 16 (the age gate is 14), a few older.
    age = min(max(int(rng.gauss(33, 9)), 16), 75)
    return anchor - timedelta(days=age * 365 + rng.randrange(365))


def _last_active(rng, plan: SeedPlan, created):
    """Most members came back recently; many of the early ones went quiet (dormancy candidates).

    A member last seen before the dormancy cutoff (DORMANCY_MONTHS, 18 by default) is one the
    dormancy job separates; a month after the cutoff, one it sends the advance notice to.
    """
    cutoff = plan.end - timedelta(days=548)
    roll = rng.random()
    if created < cutoff and roll < 0.45:
        return created + (cutoff - created) * rng.random()
    if created < cutoff + timedelta(days=30) and roll < 0.5:
        return max(created, cutoff) + (timedelta(days=30) * rng.random())
    if roll < 0.75:
        earliest = max(created, plan.end - timedelta(days=30))
    else:
        earliest = max(created, plan.end - timedelta(days=365))
    return earliest + (plan.end - earliest) * rng.random()


def write_members(
    plan: SeedPlan, writer: BulkWriter, first_id: int, password_hash: str, versions: dict[str, str]
) -> Population:
    """Every bulk account with its signup consents; photographers are spread among them."""
    rng = plan.rng("members")
    population = Population(first_id=first_id)
    photographer_every = plan.accounts / max(plan.photographers, 1)
    consent_id = writer.next_ids["consent_events"]
    for index in range(plan.accounts):
        member_id = first_id + index
        created = plan.at((index + rng.random()) / plan.accounts)
        english = rng.random() < 0.15
        pending = rng.random() < 0.02
        optional = rng.random() < 0.5
        phone = f"010-{rng.randrange(10000):04d}-{rng.randrange(10000):04d}"
        region = weighted(rng, REGION_WEIGHTS) if optional else None
        writer.add(
            "members",
            (
                member_id,
                f"member{member_id}@bench.usnaper.example",
                f"member{member_id}@bench.usnaper.example",
                password_hash,
                person_name(rng, english),
                _birth_date(rng, plan.anchor),
                encrypt_field(phone, "member.phone") if optional else None,
                region,
                "en" if english else "ko",
                "pending" if pending else "active",
                1,
                created,
                None if pending else created + timedelta(minutes=9),
                created if pending else _last_active(rng, plan, created),
                [],
            ),
        )
        marketing = rng.random() < 0.3
        decisions = {"privacy_notice": True, "terms": True, "optional_profile": optional}
        decisions |= {"marketing_email": marketing, "marketing_sms": marketing and rng.random() < 0.4}
        decisions["marketing_night"] = decisions["marketing_sms"] and rng.random() < 0.2
        for item in CONSENT_ITEMS:
            writer.add(
                "consent_events",
                (consent_id, member_id, item, decisions[item], versions[item], "signup", created),
            )
            consent_id += 1
        population.status.append(PENDING if pending else ACTIVE)
        population.languages.append(1 if english else 0)
        is_photographer = int((index + 1) / photographer_every) != int(index / photographer_every)
        if is_photographer and len(population.profiles) < plan.photographers:
            profile_id = writer.next_ids["photographer_profiles"] + len(population.profiles)
            population.profiles[profile_id] = (member_id, created + timedelta(days=rng.randrange(1, 20)))
    writer.next_ids["consent_events"] = consent_id
    return population


def write_profiles(plan: SeedPlan, writer: BulkWriter, population: Population, shoots: ShootWriter) -> None:
    """The photographers' profiles with regions, specialties, blocked days, portfolio rows and reviews."""
    rng = plan.rng("profiles")
    photo_id = writer.next_ids["portfolio_photos"]
    for profile_id, (member_id, created) in population.profiles.items():
        english = population.languages[member_id - population.first_id] == 1
        regions = {weighted(rng, REGION_WEIGHTS)}
        while rng.random() < 0.35 and len(regions) < 4:
            regions.add(weighted(rng, REGION_WEIGHTS))
        specialties = {weighted(rng, SPECIALTY_WEIGHTS) for _ in range(rng.randint(1, 4))}
        languages = ["ko"] if not english else ["en", "ko"] if rng.random() < 0.5 else ["en"]
        if not english and rng.random() < 0.3:
            languages.append("en")
        if rng.random() < 0.08:
            languages.append(rng.choice(("ja", "zh")))
        price = max(30_000, min(2_000_000, int(rng.lognormvariate(11.8, 0.5)) // 10_000 * 10_000))
        first_region = REGION_KO[sorted(regions)[0]]
        rating, reviews = shoots.for_profile(profile_id, member_id, created, population)
        writer.add(
            "photographer_profiles",
            (
                profile_id,
                member_id,
                studio_name(rng, first_region, english),
                "" if english else bio(rng, False),
                bio(rng, True) if english or rng.random() < 0.3 else "",
                price,
                languages,
                rating,
                reviews,
                created,
                created + (plan.end - created) * rng.random(),
            ),
        )
        for region in sorted(regions):
            writer.add("profile_regions", (profile_id, region))
        for specialty in sorted(specialties):
            writer.add("profile_specialties", (profile_id, specialty))
        for day in sorted(
            {plan.anchor + timedelta(days=rng.randrange(1, 90)) for _ in range(rng.randrange(7))}
        ):
            writer.add("blocked_dates", (profile_id, day))
        if rng.random() < 0.25:
            continue  # a quarter has not uploaded a portfolio yet
        for _ in range(rng.randint(1, 12)):
            width, height = rng.choice(((1600, 1067), (1067, 1600), (1600, 1200), (1200, 1200)))
            name = "".join(rng.choices(NAME_ALPHABET, k=24))
            writer.add("portfolio_photos", (photo_id, profile_id, name, width, height, created))
            photo_id += 1
    writer.next_ids["portfolio_photos"] = photo_id

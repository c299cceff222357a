"""The facts the legal texts state: contacts from configuration, promised numbers per version."""

import copy
from dataclasses import dataclass

from flask import current_app

from config import PROMISE_SETTINGS
from services.retention import period_label


@dataclass(frozen=True)
class OfficerContact:
    """How to reach the privacy officer."""

    name: str
    department: str
    phone: str
    email: str


@dataclass(frozen=True)
class Consignee:
    """An outsourced processor and the task entrusted to it, in one language."""

    name: str
    task: str


@dataclass(frozen=True)
class PolicyFacts:
    """Every number a policy version promises, ready for its template."""

    min_age: int
    dormancy_months: int
    dormancy_notice_days: int
    notice_days_general: int
    notice_days_important: int
    temporary_measure_days: int
    marketing_reminder_years: int
    night_start: str
    night_end: str
    complaint_retention: str
    staff_log_retention: str


@dataclass(frozen=True)
class CookieFacts:
    """What the cookie notice states about the language cookie."""

    language_cookie_name: str
    language_cookie_days: int


def officer_contact(locale: str) -> OfficerContact:
    """The privacy officer's contact details from configuration, in the given language when set."""
    cfg = current_app.config
    english = locale == "en"
    return OfficerContact(
        name=(english and cfg.get("PRIVACY_OFFICER_NAME_EN")) or cfg["PRIVACY_OFFICER_NAME"] or "",
        department=(english and cfg.get("PRIVACY_OFFICER_DEPARTMENT_EN"))
        or cfg["PRIVACY_OFFICER_DEPARTMENT"]
        or "",
        phone=cfg["PRIVACY_OFFICER_PHONE"] or "",
        email=cfg["PRIVACY_OFFICER_EMAIL"] or "",
    )


def consignees(locale: str) -> list[Consignee]:
    """The outsourced processors, with each task described in the given language."""
    return [
        Consignee(name=str(item["name"]), task=str(item.get(f"task_{locale}") or item["task_ko"]))
        for item in current_app.config["PRIVACY_CONSIGNEES"]
    ]


def configured_promises() -> dict:
    """The promised numbers as configured now: what a version published today states."""
    return {name: copy.deepcopy(current_app.config[name]) for name in PROMISE_SETTINGS}


def promise_drift(stated: dict) -> list[str]:
    """Settings whose configured value differs from what a version states."""
    configured = configured_promises()
    return [name for name in PROMISE_SETTINGS if name in stated and stated[name] != configured[name]]


def policy_facts(stated: dict) -> PolicyFacts:
    """The facts of a version from the numbers it states (configuration fills any it predates)."""
    promises = configured_promises() | stated
    retention = promises["RETENTION_MONTHS"]
    return PolicyFacts(
        min_age=promises["MIN_SIGNUP_AGE"],
        dormancy_months=promises["DORMANCY_MONTHS"],
        dormancy_notice_days=promises["DORMANCY_NOTICE_DAYS"],
        notice_days_general=promises["POLICY_NOTICE_DAYS_GENERAL"],
        notice_days_important=promises["POLICY_NOTICE_DAYS_IMPORTANT"],
        temporary_measure_days=promises["TEMPORARY_MEASURE_DAYS"],
        marketing_reminder_years=promises["MARKETING_REMINDER_YEARS"],
        night_start=promises["MARKETING_NIGHT_START"],
        night_end=promises["MARKETING_NIGHT_END"],
        complaint_retention=period_label(retention["complaint"]),
        staff_log_retention=period_label(retention["staff_access_log"]),
    )


def cookie_facts() -> CookieFacts:
    """The language cookie's name and lifetime from configuration."""
    cfg = current_app.config
    return CookieFacts(
        language_cookie_name=cfg["LANGUAGE_COOKIE_NAME"],
        language_cookie_days=cfg["LANGUAGE_COOKIE_DAYS"],
    )

"""The facts the legal texts state, read from configuration in one place."""

from dataclasses import dataclass

from flask import current_app

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
    """Every number the privacy policy and terms promise."""

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
    result = []
    for item in current_app.config["PRIVACY_CONSIGNEES"]:
        task = item.get(f"task_{locale}") or item.get("task_ko") or ""
        result.append(Consignee(name=str(item.get("name", "")), task=str(task)))
    return result


def policy_facts() -> PolicyFacts:
    """The configured numbers behind the policy's promises."""
    cfg = current_app.config
    return PolicyFacts(
        min_age=cfg["MIN_SIGNUP_AGE"],
        dormancy_months=cfg["DORMANCY_MONTHS"],
        dormancy_notice_days=cfg["DORMANCY_NOTICE_DAYS"],
        notice_days_general=cfg["POLICY_NOTICE_DAYS_GENERAL"],
        notice_days_important=cfg["POLICY_NOTICE_DAYS_IMPORTANT"],
        temporary_measure_days=cfg["TEMPORARY_MEASURE_DAYS"],
        marketing_reminder_years=cfg["MARKETING_REMINDER_YEARS"],
        night_start=cfg["MARKETING_NIGHT_START"],
        night_end=cfg["MARKETING_NIGHT_END"],
        complaint_retention=period_label(cfg["RETENTION_MONTHS"]["complaint"]),
        staff_log_retention=period_label(cfg["RETENTION_MONTHS"]["staff_access_log"]),
        language_cookie_days=cfg["LANGUAGE_COOKIE_DAYS"],
    )

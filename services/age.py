"""Age on the Korean calendar day: who may join (SPEC §3)."""

from datetime import date

from flask import current_app

from services.clock import seoul_today


def age_on(birth_date: date, today: date) -> int:
    """Completed years on today (만 나이).

    The Civil Act counts the day of birth (art. 158) and ends a period that
    lacks its corresponding day on the month's last day (art. 160): someone born
    on 29 February completes a year at the end of 28 February, so in a common
    year they are a year older from 1 March.
    """
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_old_enough(birth_date: date, today: date | None = None) -> bool:
    """Whether the person has reached the configured minimum age today in Korea."""
    return age_on(birth_date, today or seoul_today()) >= current_app.config["MIN_SIGNUP_AGE"]

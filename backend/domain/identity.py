"""Resident ID numbers (GB 11643), masking, and what a number says about its holder.

The check itself is python-stdnum's `stdnum.cn.ric` (called from the service layer);
these helpers only read a number that has already been validated.
"""

from __future__ import annotations

from datetime import date


def mask_id_number(number: str | None) -> str | None:
    """First 3 and last 4 digits, the rest starred: `140***********0429` (issue 2).

    Full numbers leave the server only where the person needs them; everywhere else
    this form is enough to recognise one's own record."""
    if not number:
        return number
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str | None) -> str | None:
    """王秀英 → 王*英, 李明 → 李*: enough for a hospital clerk to recognise, no more."""
    if not name:
        return name
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str | None:
    if not phone or len(phone) < 7:
        return phone
    return phone[:3] + "****" + phone[-4:]


def birth_date(number: str) -> date:
    """Digits 7-14 of an 18-digit number are the birth date (GB 11643-1999 §5)."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    """Digit 17 is odd for men, even for women (GB 11643-1999 §5)."""
    return "male" if int(number[16]) % 2 else "female"


def age_on(number: str, day: date) -> int:
    born = birth_date(number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def normalise_id_number(raw: str) -> str:
    """People type a lower-case x and spaces; the registry holds neither."""
    return "".join(str(raw).split()).upper()

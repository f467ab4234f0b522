"""Is a declared relation possible? An agent says what the insured person is TO him
(王秀英 is 李明's `parent`); the registry's household data (户籍) settles it where it
knows the pair, and the birth dates in both ID numbers (GB 11643-1999 §5: digits
7-14) always bound it:

- `parent`: at least 15 years older than the agent (`grandparent`: 30); `child` and
  `grandchild` the mirror. 15 and 30 are plausibility bounds, not law: a younger
  parent is so rare that the registry, not a declaration, should say so.
- `spouse`: both of marriageable age today, 22 for a man and 20 for a woman
  (民法典 第一千零四十七条, Civil Code art. 1047); sex from digit 17 of the number.
- `sibling` and `other`: no bound from the dates alone.

Standard library only; the service layer reads the household data and calls
`check_relation`.
"""

from __future__ import annotations

from datetime import date

from backend.domain.identity import age_on, birth_date, sex

PARENT_GAP_YEARS = 15
GRANDPARENT_GAP_YEARS = 30
MARRIAGE_AGE = {"male": 22, "female": 20}  # 民法典 第一千零四十七条


def _years_between(older: date, younger: date) -> int:
    """Whole years from one birth date to the other (negative when `older` is younger)."""
    if older > younger:
        return -_years_between(younger, older)
    return younger.year - older.year - ((younger.month, younger.day) < (older.month, older.day))


def implausible(relation: str, agent_number: str, insured_number: str, today: date) -> str | None:
    """Why `insured` cannot be `agent`'s `relation`, in Chinese; None when it can be."""
    agent_born, insured_born = birth_date(agent_number), birth_date(insured_number)
    insured_older_by = _years_between(insured_born, agent_born)
    if relation == "parent" and insured_older_by < PARENT_GAP_YEARS:
        return f"父母应比您年长至少{PARENT_GAP_YEARS}岁。"
    if relation == "grandparent" and insured_older_by < GRANDPARENT_GAP_YEARS:
        return f"祖父母、外祖父母应比您年长至少{GRANDPARENT_GAP_YEARS}岁。"
    if relation == "child" and -insured_older_by < PARENT_GAP_YEARS:
        return f"子女应比您年幼至少{PARENT_GAP_YEARS}岁。"
    if relation == "grandchild" and -insured_older_by < GRANDPARENT_GAP_YEARS:
        return f"孙子女、外孙子女应比您年幼至少{GRANDPARENT_GAP_YEARS}岁。"
    if relation == "spouse":
        for number in (agent_number, insured_number):
            if age_on(number, today) < MARRIAGE_AGE[sex(number)]:
                return "配偶双方均应达到法定婚龄（男22周岁、女20周岁）。"
    return None


def check_relation(relation: str, agent_number: str, insured_number: str, today: date,
                   household: str | None) -> str | None:
    """The reason the declared relation is refused, or None. `household` is what the
    registry's household data says the insured person is to the agent (None: it does
    not know the pair)."""
    if household is not None and household != relation:
        return "与户籍登记的关系不一致，请核对后重新选择。"
    return implausible(relation, agent_number, insured_number, today)

"""QA tools, outside production only (the `backend/api/qa` blueprint is not even
mounted there): fresh insured people so walks never collide, the server's clock,
and the daily jobs a remote runner cannot start from the CLI."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select
from stdnum.cn import ric

from backend.adapters import clock
from backend.adapters.models import HouseholdRelation, InsuranceRecord, InsuredPerson, QaClock, Region
from backend.domain import relations as relation_rules
from backend.domain.errors import Invalid
from backend.domain.filing import INVERSE_RELATION
from backend.services.runtime import CHINA, session, today

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强海燕春梅晓东文博子涵宇轩欣怡浩然雨桐"
DEFAULT_AGE = {"parent": 28, "grandparent": 55, "child": -28, "grandchild": -55, "spouse": 0, "sibling": 3,
               "other": 0}
_COUNTIES: dict[tuple[str, int], list[str]] = {}


def _counties(region: str, year: int) -> list[str]:
    """County codes under `region` (a city: its first four digits) that existed in
    `year`, as the GB 11643 birth-place table of python-stdnum knows them."""
    key = (region[:4], year)
    if key not in _COUNTIES:
        found = []
        for prefix in (region[:4], region[:2]) if region[2:4] != "00" else (region[:2],):
            for suffix in range(1, 10000 if len(prefix) == 2 else 100):
                code = (prefix + f"{suffix:0{6 - len(prefix)}d}")
                if code.endswith("00"):
                    continue
                probe = f"{code}{year}0101001"
                if _valid(probe + ric.calc_check_digit(probe + "0")):
                    found.append(code)
            if found:
                break
        _COUNTIES[key] = found
    return _COUNTIES[key]


def _valid(number: str) -> bool:
    try:
        return ric.is_valid(number)
    except KeyError:  # python-stdnum on a code its table knows only the province of
        return False


def _birth_date(age: int) -> date:
    """A birth date on which a person is exactly `age` today (the app's clock)."""
    day = today()
    latest = _years_before(day, age)
    earliest = _years_before(day, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=random.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _id_number(region: str, born: date) -> str:
    counties = _counties(region, born.year)
    if not counties:
        raise Invalid(f"参保地 {region} 没有可用于生成身份证号码的县级代码。", code="request.invalid",
                      errors={"insured_region": ["no county code known for this region"]})
    s = session()
    for _ in range(50):
        body = f"{random.choice(counties)}{born:%Y%m%d}{random.randrange(1000):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if _valid(number) and s.scalar(select(InsuredPerson.id).where(InsuredPerson.id_number_is(number))) is None:
            return number
    raise RuntimeError("no free ID number found")  # 1000 sequence numbers a county a day


def _name() -> str:
    return random.choice(SURNAMES) + "".join(random.choice(GIVEN) for _ in range(random.choice((1, 2))))


def _insure(region: Region, scheme: str, age: int) -> InsuredPerson:
    born = _birth_date(age)
    number = _id_number(region.code, born)
    person = InsuredPerson(id_number=number, name=_name(), phone=f"13{random.randrange(10**9):09d}",
                           address=f"{region.name}测试路{random.randrange(1, 999)}号")
    s = session()
    s.add(person)
    s.flush()
    since = max(born, _years_before(today(), min(age, 5)))
    s.add(InsuranceRecord(person_id=person.id, scheme=scheme, insured_region=region.code,
                          retired=scheme == "employee" and age >= 60, since=since, status="active"))
    return person


def _answer(person: InsuredPerson, scheme: str, region: str, age: int) -> dict:
    return {"name": person.name, "id_number": person.id_number, "login_code": f"demo-{person.id_number}",
            "scheme": scheme, "insured_region": region, "age": age}


MAX_AGE = 110


def _check_age(age: int, field: str) -> None:
    if not 0 <= age <= MAX_AGE:
        raise Invalid(f"年龄须在0至{MAX_AGE}岁之间。", code="request.invalid", errors={field: [f"0至{MAX_AGE}岁"]})


def make_person(scheme: str, insured_region: str, age: int | None = None,
                relations: list[dict] | None = None) -> dict:
    """A fresh insured person (and relatives, with their household pairs both ways)."""
    s = session()
    region = s.get(Region, insured_region)
    if region is None:
        raise Invalid("参保地代码不存在。", code="request.invalid",
                      errors={"insured_region": ["not a known region code"]})
    age = 40 if age is None else age
    _check_age(age, "age")
    wanted = []
    for i, r in enumerate(relations or []):
        r_age = r.get("age")
        if r_age is None:
            r_age = min(max(age + DEFAULT_AGE[r["relation"]], 0), MAX_AGE)
        _check_age(r_age, f"relations.{i}.age")
        wanted.append((i, r["relation"], r_age))
    person = _insure(region, scheme, age)
    made = []
    for i, relation, r_age in wanted:
        relative = _insure(region, scheme, r_age)
        reason = relation_rules.implausible(relation, person.id_number, relative.id_number, today())
        if reason:
            s.rollback()
            raise Invalid(f"亲属年龄不合理：{reason}", code="request.invalid",
                          errors={f"relations.{i}.age": [reason]})
        s.add(HouseholdRelation(person_id=person.id, relative_id=relative.id, relation=relation))
        s.add(HouseholdRelation(person_id=relative.id, relative_id=person.id, relation=INVERSE_RELATION[relation]))
        made.append({"relation": relation, **_answer(relative, scheme, region.code, r_age)})
    s.commit()
    return {**_answer(person, scheme, region.code, age), "relations": made}


# --- the clock -----------------------------------------------------------------------

def clock_state() -> dict:
    row = session().get(QaClock, 1)
    offset = row.offset_seconds if row else 0.0
    return {"now": clock.now().astimezone(CHINA), "moved": bool(offset), "offset_seconds": int(round(offset))}


MAX_CLOCK_OFFSET_DAYS = 3650   # ten years either way: every rule's dates stay real dates


def move_clock(to: datetime | None = None, advance_days: float | None = None) -> dict:
    """Set the clock to `to`, or on by `advance_days` from where it stands now."""
    s = session()
    row = s.get(QaClock, 1)
    current = row.offset_seconds if row else 0.0
    real = datetime.now(clock.UTC)
    if to is not None:
        offset = (to - real).total_seconds()
    else:
        offset = current + advance_days * 86400
    if abs(offset) > MAX_CLOCK_OFFSET_DAYS * 86400:
        # Beyond this, dates a rule computes (a term, a token's expiry) leave the calendar.
        raise Invalid(f"QA 时钟只能拨到当前时间前后 {MAX_CLOCK_OFFSET_DAYS} 天以内。", code="qa.clock_out_of_range",
                      errors={"now" if to is not None else "advance_days": ["超出可调整的范围。"]})
    if row is None:
        s.add(QaClock(id=1, offset_seconds=offset, moved_at=real))
    else:
        row.offset_seconds, row.moved_at = offset, real
    s.commit()
    clock.forget_qa_offset()
    return clock_state()


def reset_clock() -> dict:
    s = session()
    row = s.get(QaClock, 1)
    if row is not None:
        s.delete(row)
        s.commit()
    clock.forget_qa_offset()
    return clock_state()


def daily_jobs() -> dict:
    """What the daily timer runs (`flask expire` then `flask purge`), under the app's clock."""
    from backend.services.seed import expire_all, purge_all

    return {"expired": expire_all(), "purged": purge_all()}

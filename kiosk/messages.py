"""The core's words for people, in every language the station speaks.

The core reports what happened and its parameters; the sentence comes from
here, in the reader's language, so no module switches on the language to
pick its words. (The desk and kiosk's own texts are Qt Linguist strings in
resources/i18n; the catalog's names and guidance are bilingual data.)
`tests/test_messages.py` fails on an entry missing from a language or whose
placeholders differ between them.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "zh")

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # pickup slips (kiosk/db/slips.py)
    "slip.collect_by": {"en": "Collect by {end}", "zh": "请在 {end} 前领取"},
    "slip.collect_by_close": {"en": "Collect by {end}, when the desk closes",
                              "zh": "请在 {end}（服务台下班）前领取"},
    "slip.window": {"en": "Collect between {start} and {end}",
                    "zh": "请于 {start} 至 {end} 之间领取"},
    "slip.what": {"en": "{units} of {item}", "zh": "{item} {units}"},
    "slip.state.ready": {"en": "Ready: {what}. Collect at the desk by {when}.",
                         "zh": "已备好：{what}。请在 {when} 前到服务台领取。"},
    "slip.state.collected": {"en": "Collected on {when}: {what}.",
                             "zh": "已于 {when} 领取：{what}。"},
    "slip.state.expired": {
        "en": "The pickup window ended on {when}; the medicine went back to stock. "
              "Please ask at the desk to request it again.",
        "zh": "领取期限已于 {when} 结束，药品已退回库存。请到服务台重新登记。"},
    "slip.state.cancelled": {"en": "This slip was cancelled on {when}.",
                             "zh": "此领取单已于 {when} 取消。"},
    "slip.state.see-desk": {"en": "This slip cannot be used as it is; please ask at the desk.",
                            "zh": "此领取单暂时无法使用，请到服务台咨询。"},
    # moments told to people (kiosk/slips.py format_moment)
    "moment": {"en": "{weekday} {day} {month} {year}, {clock}",
               "zh": "{year}年{month}月{day}日（周{weekday}）{clock}"},
    # word lists, space-separated (`words`): Monday first, January first
    "weekdays.short": {"en": "Mon Tue Wed Thu Fri Sat Sun", "zh": "一 二 三 四 五 六 日"},
    "months.short": {"en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
                     "zh": "1 2 3 4 5 6 7 8 9 10 11 12"},
    "hours.days": {"en": "Mon Tue Wed Thu Fri Sat Sun",
                   "zh": "周一 周二 周三 周四 周五 周六 周日"},
    # opening hours (kiosk/hours.py render)
    "hours.through": {"en": "-", "zh": "至"},
    "hours.and": {"en": ", ", "zh": "、"},
    "hours.comma": {"en": ", ", "zh": "，"},
    "hours.semicolon": {"en": "; ", "zh": "；"},
    # safety refusals (kiosk/safety.py)
    "safety.adults_only": {"en": "{name} is for adults only.", "zh": "{name}仅限成人使用。"},
    "safety.min_age": {"en": "{name} is for adults and children {age} and over only.",
                       "zh": "{name}仅限成人及{age}岁以上儿童使用。"},
    "safety.child_instead": {"en": " For a child, ask for {other}.",
                             "zh": "儿童请改为申请{other}。"},
    "safety.child_ask": {
        "en": " For a child, ask staff at the desk or a pharmacist what to use.",
        "zh": "儿童用药请咨询服务台工作人员或药师。"},
    "safety.not_in_pregnancy": {"en": "{name} is not for use in pregnancy.",
                                "zh": "{name}孕期禁用。"},
    "safety.not_late_pregnancy": {
        "en": "{name} must not be taken in the last 3 months of pregnancy.",
        "zh": "{name}妊娠晚期（最后3个月）禁用。"},
    "safety.pregnant_instead": {"en": " If you are pregnant, ask for {other}.",
                                "zh": "孕妇请改为申请{other}。"},
    "safety.pregnant_ask": {
        "en": " If you are pregnant, ask a pharmacist or doctor what to use.",
        "zh": "孕妇用药请咨询药师或医生。"},
    "safety.group.child": {"en": "a child", "zh": "儿童"},
    "safety.group.pregnant": {"en": "a pregnant person", "zh": "孕妇"},
    "safety.override_slip": {
        "en": "This product's leaflet does not allow it for {group}; staff issued "
              "it by override after checking (reason: {reason}). Before using it, ask a "
              "pharmacist or doctor how to use it, and read the leaflet.",
        "zh": "本品说明书不建议{group}使用，工作人员经核实后破例发放"
              "（原因：{reason}）。使用前请务必咨询药师或医生如何使用，"
              "并阅读说明书。"},
}


def words(key: str, language: str) -> tuple[str, ...]:
    """A word list of the catalog (weekday or month names) in `language`."""
    entry = MESSAGES[key]
    return tuple(entry.get(language, entry["en"]).split(" "))


def say(key: str, language: str, **params: object) -> str:
    """The sentence `key` in `language` (English for a language we do not speak)."""
    entry = MESSAGES[key]
    return entry.get(language, entry["en"]).format(**params)

"""What the station knows of a pickup slip: the records its use cases return (kiosk/db/slips.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kiosk import hours as hours_module
from kiosk.clock import iso
from kiosk.hours import NO_HOURS, OpeningHours
from kiosk.messages import say
from kiosk.slips import format_moment


@dataclass(frozen=True)
class Slip:
    id: int
    request_id: int
    short_code: str
    language: str
    issued_at: datetime
    expires_at: datetime
    status: str
    status_at: datetime
    collected_at: datetime | None
    issued_by: str
    closed_by: str
    note: str
    token: str  # the QR payload, derived from the station secret (not stored)

    def to_json(self) -> dict[str, object]:
        return {
            "slip": self.id,
            "request": self.request_id,
            "short_code": self.short_code,
            "token": self.token,
            "language": self.language,
            "issued_at": iso(self.issued_at),
            "expires_at": iso(self.expires_at),
            "status": self.status,
            "status_at": iso(self.status_at),
            "collected_at": iso(self.collected_at) if self.collected_at else None,
        }


@dataclass(frozen=True)
class SlipLot:
    lot_id: int
    units: int
    expiry: date
    lot_number: str

    def to_json(self) -> dict[str, object]:
        return {"lot": self.lot_id, "units": self.units, "expiry": self.expiry.isoformat(),
                "lot_number": self.lot_number}


@dataclass(frozen=True)
class SlipView:
    """Everything a printer needs for one slip, already in the resident's language."""

    slip_id: int
    status: str
    language: str
    station_code: str
    station_name: str
    station_address: str
    opening_hours: str
    item_id: str
    item_name: str
    item_name_en: str
    units: int
    units_text: str
    guidance: str
    for_children: bool
    issued_at: datetime
    expires_at: datetime
    token: str
    short_code: str
    lots: tuple[SlipLot, ...]
    training: bool = False  # printed for practice on a training station
    override: str = ""  # the staff's reason for a request the safety facts refuse
    zone: str = "UTC"  # the station's; every time printed is on its wall clock
    opens_at: datetime | None = None  # "come after": issued_at moved into opening hours
    hours: OpeningHours = NO_HOURS  # structured opening hours (not set: raw times)

    def hours_text(self, language: str | None = None) -> str:
        return hours_module.display(self.opening_hours, self.hours, language or self.language)

    def collect_by_text(self, language: str | None = None) -> str:
        """The deadline sentence: with opening hours, it is a closing time."""
        lang = language or self.language
        end = format_moment(self.expires_at, lang, self.zone)
        return say("slip.collect_by_close" if self.hours.is_set else "slip.collect_by", lang,
                   end=end)

    @property
    def collect_from(self) -> datetime:
        return self.opens_at or self.issued_at

    def window_text(self, language: str | None = None) -> str:
        lang = language or self.language
        start = format_moment(self.collect_from, lang, self.zone)
        end = format_moment(self.expires_at, lang, self.zone)
        return say("slip.window", lang, start=start, end=end)


@dataclass(frozen=True)
class Redemption:
    """What this scan collected: hand these units over now."""

    slip_id: int
    request_id: int
    item_id: str
    item_name_en: str
    item_name_zh: str
    units: int
    units_text: str
    language: str
    lots: tuple[SlipLot, ...]
    collected_at: datetime
    staff: str

    def handover_text(self) -> str:
        lots = ", ".join(
            f"lot {lot.lot_number or lot.lot_id} (exp {lot.expiry.isoformat()}) x{lot.units}"
            for lot in self.lots
        )
        return (f"Collected slip {self.slip_id}: hand over {self.units_text} of "
                f"{self.item_name_en} / {self.item_name_zh} from {lots}.")

    def to_json(self) -> dict[str, object]:
        return {
            "slip": self.slip_id,
            "request": self.request_id,
            "item": self.item_id,
            "name": {"en": self.item_name_en, "zh": self.item_name_zh},
            "units": self.units,
            "units_text": self.units_text,
            "language": self.language,
            "lots": [lot.to_json() for lot in self.lots],
            "collected_at": iso(self.collected_at),
            "staff": self.staff,
        }


@dataclass(frozen=True)
class SlipStatus:
    """What the resident kiosk says about a scanned slip (nothing is changed)."""

    slip_id: int
    state: str  # ready, collected, expired, cancelled, see-desk
    item_name_en: str
    item_name_zh: str
    units_text_en: str
    units_text_zh: str
    at: datetime  # collect by / collected on / expired on / cancelled on / since
    language: str
    zone: str = "UTC"  # the station's

    def message(self, language: str | None = None) -> str:
        lang = language or self.language
        when = format_moment(self.at, lang, self.zone)
        # the item's name and units are bilingual data; the sentence comes from the catalog
        named = {"en": (self.item_name_en, self.units_text_en),
                 "zh": (self.item_name_zh, self.units_text_zh)}
        item, units = named.get(lang, named["en"])
        what = say("slip.what", lang, item=item, units=units)
        return say(f"slip.state.{self.state}", lang, what=what, when=when)

    def to_json(self) -> dict[str, object]:
        return {
            "slip": self.slip_id,
            "state": self.state,
            "at": iso(self.at),
            "item": {"en": self.item_name_en, "zh": self.item_name_zh},
            "units": {"en": self.units_text_en, "zh": self.units_text_zh},
            "message": {"en": self.message("en"), "zh": self.message("zh")},
        }

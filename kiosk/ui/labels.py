"""Translated words for the core's codes (priority groups, sources, roles, reasons).

Each string is written out in a QCoreApplication.translate call so that
pyside6-lupdate finds it; the codes themselves never change.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.errors import MedShareError
from kiosk.ui.i18n import language

translate = QCoreApplication.translate  # the name lupdate looks for


def priority(code: str) -> str:
    return {
        "child": translate("Labels", "Child"),
        "pregnant": translate("Labels", "Pregnant"),
        "elderly": translate("Labels", "Elderly"),
        "chronic": translate("Labels", "Chronic illness"),
        "none": translate("Labels", "No priority"),
    }.get(code, code)


def priority_marked(code: str) -> str:
    """A priority group with a star and the word 'priority', so colour is never the only sign."""
    if code == "none":
        return priority(code)
    return QCoreApplication.translate("Labels", "★ Priority: {group}").format(group=priority(code))


def source(code: str) -> str:
    return {
        "donation": translate("Labels", "Donation from a neighbour"),
        "pharmacy": translate("Labels", "Bought at a pharmacy"),
        "hospital": translate("Labels", "From a hospital"),
        "clinic": translate("Labels", "From a clinic"),
        "online": translate("Labels", "Bought online"),
        "other": translate("Labels", "Other"),
    }.get(code, code)


def role(code: str) -> str:
    return {
        "staff": translate("Labels", "Staff"),
        "manager": translate("Labels", "Manager"),
    }.get(code, code)


def status(code: str) -> str:
    return {
        "open": translate("Labels", "Waiting"),
        "reserved": translate("Labels", "Ready for pickup"),
        "collected": translate("Labels", "Collected"),
        "cancelled": translate("Labels", "Cancelled"),
    }.get(code, code)


def slip_status(code: str) -> str:
    return {
        "issued": translate("Labels", "Ready for pickup"),
        "collected": translate("Labels", "Collected"),
        "cancelled": translate("Labels", "Cancelled"),
        "expired": translate("Labels", "Pickup window over"),
    }.get(code, code)


def write_off_reasons() -> list[tuple[str, str]]:
    """(text stored in the ledger, label shown): the ledger keeps the English words."""
    return [
        ("damaged", translate("Labels", "Damaged or opened")),
        ("expired", translate("Labels", "Expired")),
        ("recalled", translate("Labels", "Recalled")),
        ("lost", translate("Labels", "Missing from the shelf")),
    ]


def refusal(reason: str) -> str:
    """Why a slip cannot be collected, in the desk's language (slips.Refusal.reason codes)."""
    texts = {
        "not-medshare": translate("Labels", "This is not a MedShare pickup slip."),
        "newer-format": translate("Labels", "This slip was made by a newer MedShare version."),
        "mistyped": translate("Labels", "The code was mistyped; check it and type it again."),
        "other-station": translate("Labels", "This slip belongs to another station."),
        "forged": translate("Labels", "This slip is not genuine: its signature does not match."),
        "number-only": translate("Labels", "A slip number alone is not enough; scan the QR code or "
                                    "type the short code."),
        "unknown-slip": translate("Labels", "This station has no such slip."),
        "collected": translate("Labels", "This slip has already been collected."),
        "cancelled": translate("Labels", "This slip was cancelled."),
        "window-over": translate("Labels", "The pickup window of this slip is over."),
        "released": translate("Labels", "The medicine for this slip was released back to stock."),
        "lot-unusable": translate("Labels", "The reserved medicine has expired or was recalled."),
        "no-code": translate("Labels", "Nothing was scanned or typed."),
    }
    return texts.get(reason, "")


def item_name(catalog: object, item_id: str) -> str:
    """The catalog name of an item in the interface language (the id if unknown)."""
    get = getattr(catalog, "get", None)
    if get is None:
        return item_id
    try:
        return str(get(item_id).name(language()))
    except MedShareError:
        return item_id


def units_text(catalog: object, item_id: str, units: int) -> str:
    get = getattr(catalog, "get", None)
    if get is None:
        return str(units)
    try:
        return str(get(item_id).units_text(units, language()))
    except MedShareError:
        return str(units)

"""Translated words for the core's codes (priority groups, sources, roles, reasons).

Each string is written out in a QCoreApplication.translate call so that
pyside6-lupdate finds it; the codes themselves never change.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.errors import MedShareError
from kiosk.ui.i18n import language


def priority(code: str) -> str:
    tr = QCoreApplication.translate
    return {
        "child": tr("Labels", "Child"),
        "pregnant": tr("Labels", "Pregnant"),
        "elderly": tr("Labels", "Elderly"),
        "chronic": tr("Labels", "Chronic illness"),
        "none": tr("Labels", "No priority"),
    }.get(code, code)


def priority_marked(code: str) -> str:
    """A priority group with a star and the word 'priority', so colour is never the only sign."""
    if code == "none":
        return priority(code)
    return QCoreApplication.translate("Labels", "★ Priority: {group}").format(group=priority(code))


def source(code: str) -> str:
    tr = QCoreApplication.translate
    return {
        "donation": tr("Labels", "Donation from a neighbour"),
        "pharmacy": tr("Labels", "Bought at a pharmacy"),
        "hospital": tr("Labels", "From a hospital"),
        "clinic": tr("Labels", "From a clinic"),
        "online": tr("Labels", "Bought online"),
        "other": tr("Labels", "Other"),
    }.get(code, code)


def role(code: str) -> str:
    tr = QCoreApplication.translate
    return {"staff": tr("Labels", "Staff"), "manager": tr("Labels", "Manager")}.get(code, code)


def status(code: str) -> str:
    tr = QCoreApplication.translate
    return {
        "open": tr("Labels", "Waiting"),
        "reserved": tr("Labels", "Ready for pickup"),
        "collected": tr("Labels", "Collected"),
        "cancelled": tr("Labels", "Cancelled"),
    }.get(code, code)


def write_off_reasons() -> list[tuple[str, str]]:
    """(text stored in the ledger, label shown): the ledger keeps the English words."""
    tr = QCoreApplication.translate
    return [
        ("damaged", tr("Labels", "Damaged or opened")),
        ("expired", tr("Labels", "Expired")),
        ("recalled", tr("Labels", "Recalled")),
        ("lost", tr("Labels", "Missing from the shelf")),
    ]


def refusal(reason: str) -> str:
    """Why a slip cannot be collected, in the desk's language (slips.Refusal.reason codes)."""
    tr = QCoreApplication.translate
    texts = {
        "not-medshare": tr("Labels", "This is not a MedShare pickup slip."),
        "newer-format": tr("Labels", "This slip was made by a newer MedShare version."),
        "mistyped": tr("Labels", "The code was mistyped; check it and type it again."),
        "other-station": tr("Labels", "This slip belongs to another station."),
        "forged": tr("Labels", "This slip is not genuine: its signature does not match."),
        "number-only": tr("Labels", "A slip number alone is not enough; scan the QR code or "
                                    "type the short code."),
        "unknown-slip": tr("Labels", "This station has no such slip."),
        "collected": tr("Labels", "This slip has already been collected."),
        "cancelled": tr("Labels", "This slip was cancelled."),
        "window-over": tr("Labels", "The pickup window of this slip is over."),
        "released": tr("Labels", "The medicine for this slip was released back to stock."),
        "lot-unusable": tr("Labels", "The reserved medicine has expired or was recalled."),
        "no-code": tr("Labels", "Nothing was scanned or typed."),
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

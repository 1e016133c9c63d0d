"""MedShare Kiosk: a neighbourhood station for sharing spare over-the-counter medicine.

The top-level modules are the domain (catalog, rules, phone numbers, clock);
they import nothing of ours beyond each other and never Qt.
"""

__version__ = "0.1.0"

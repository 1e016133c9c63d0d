"""The manager console's pages: (key, module, class), each imported when first shown.

Kept free of Qt imports so the desk window can ask which keys are manager pages
without loading any of them.
"""

MANAGER_PAGES = (
    ("reports", "kiosk.ui.screens.manager.reports", "ReportsScreen"),
    ("accounts", "kiosk.ui.screens.manager.accounts", "AccountsScreen"),
    ("settings", "kiosk.ui.screens.manager.settings", "SettingsScreen"),
    ("backups", "kiosk.ui.screens.manager.backups", "BackupsScreen"),
    ("sync", "kiosk.ui.screens.manager.sync", "SyncScreen"),
    ("audit", "kiosk.ui.screens.manager.audit", "AuditScreen"),
)
PAGE_KEYS = frozenset(key for key, _module, _name in MANAGER_PAGES)

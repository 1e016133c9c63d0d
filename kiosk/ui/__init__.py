"""The station app (PySide6): a thin Qt layer over the Qt-free core.

Layout of this package:

* ``jobs``      plain functions on a Store (no Qt): what the screens ask for.
* ``worker``    one QThread that owns the Store and runs jobs in order.
* ``services``  the GUI-side facade: widgets call it, results come back as callbacks.
* ``errors``    the one place where an exception becomes a message or a crash log.
* ``screens/``  one small class per screen; ``mainwindow`` only composes and wires them.
* ``i18n``, ``style``  languages (Qt .qm files) and looks (large text, focus, touch sizes).

Widgets never run SQL or HTTP and never import sqlite3, sqlite_utils or requests.
"""

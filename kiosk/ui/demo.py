"""The demo station's account: created by `medshare --demo` only, and shown on its sign-in."""

DEMO_MANAGER = "Demo manager"
DEMO_PIN = "1234"

"""One small class per screen; each talks only to Services and shows its own messages."""

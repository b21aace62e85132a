"""One router per module; each is included by ``create_app``."""

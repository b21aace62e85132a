"""One router per module, each included by ``create_app``."""

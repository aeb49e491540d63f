"""roster: follow-the-sun rostering for 24/7 IT helpdesks."""

__version__ = "0.1.0"

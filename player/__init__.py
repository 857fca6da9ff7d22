"""Movement Player: follow-along movement sessions with check-ins and a local journal."""

__version__ = "0.1.0"

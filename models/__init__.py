"""SQLAlchemy models, one module per domain; importing this package registers them all."""

from models.notice import Notice
from models.policy import PolicyVersion

__all__ = ["Notice", "PolicyVersion"]

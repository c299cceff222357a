"""SQLAlchemy models, one module per domain; importing this package registers them all."""

from models.access_log import AccessLog
from models.notice import Notice
from models.outbox import OutboxMessage
from models.policy import PolicyVersion
from models.retention import RetentionRecord

__all__ = ["AccessLog", "Notice", "OutboxMessage", "PolicyVersion", "RetentionRecord"]

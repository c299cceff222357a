"""gunicorn's settings for USNAPER in production: `gunicorn --config gunicorn.conf.py "app:create_app()"`.

Every value can be changed from the environment without editing this file; the benchmarks
(bench/server.py) serve the site and the hello baseline with it, so what they measure is this.
"""

import multiprocessing
import os
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    """An integer setting from the environment, or the default when unset or empty."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Behind the TLS proxy on the same host by default; a platform that hands out $PORT gets every interface.
if os.environ.get("GUNICORN_BIND"):
    bind = os.environ["GUNICORN_BIND"].split(",")
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{os.environ['PORT']}"]  # nosec B104 - the platform routes $PORT to us
else:
    bind = ["127.0.0.1:8000"]

# Sync workers: the proxy in front buffers slow clients, so a worker is never held by one; each
# request is CPU (templates) plus short waits on PostgreSQL, and separate processes spend the CPU
# without sharing a GIL. 2 x cores + 1 keeps a core busy while another worker waits on the database.
# GUNICORN_THREADS > 1 switches to gthread (keep-alive, for serving without a buffering proxy).
workers = _env_int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _env_int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# No page takes seconds (bulk work runs in RQ jobs), so a worker silent for 30 s is stuck: restart it.
# A deploy's SIGTERM lets requests in flight finish for as long again.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Import the app once in the master: a bad setting fails the start instead of every worker in a
# loop, and the workers share the imported code's memory. post_fork below drops any connection.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() != "false"

# The app keeps its own access log (blueprints/visits: access_logs rows with keyed address hashes
# and retention); gunicorn's would keep raw IP addresses outside it. Errors go to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Which peers may set X-Forwarded-Proto for gunicorn itself: the proxy on this host. (The app's
# ProxyFix trusts PROXY_HOPS hops for the client address; both must describe the same proxy.)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file on a RAM disk, so a slow disk cannot stall a worker into a timeout.
if Path("/dev/shm").is_dir():  # noqa: S108  # nosec B108 - gunicorn's own heartbeat files
    worker_tmp_dir = "/dev/shm"  # noqa: S108  # nosec B108

# No runtime control socket: it would be one fixed path shared by every gunicorn of this user
# (the benchmarks run two at once), and the deploy restarts through the service manager anyway.
control_socket_disable = True


def post_fork(server, worker) -> None:
    """A forked worker opens its own database connections instead of sharing the master's."""
    if not server.cfg.preload_app:
        return
    from extensions import db  # imported here: the hello baseline has no database

    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)

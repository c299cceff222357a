"""The floor of the HTTP benchmarks: a minimal Flask app served by the same gunicorn config.

`gunicorn --config gunicorn.conf.py "bench.hello_app:create_app()"`
"""

from flask import Flask


def create_app() -> Flask:
    """A Flask app that answers "hello" and a health check, and does nothing else."""
    app = Flask(__name__)

    @app.get("/")
    def hello() -> str:
        """The cheapest page Flask can serve."""
        return "hello"

    @app.get("/healthz")
    def healthz() -> dict:
        """What bench.server.serve() polls before measuring."""
        return {"status": "ok"}

    return app

"""The benchmark areas, in the order `python -m bench` runs them.

Each module has `run(ctx: Context) -> list[Row]`; it starts what it needs and stops it again.
"""

AREA_ORDER = ["http", "flat", "signin", "pages", "lighthouse", "purge", "dormancy", "fanout"]

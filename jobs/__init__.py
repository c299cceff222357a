"""The RQ layer: enqueue helper, job functions (take ids, safe to run twice), worker and cron CLI.

Empty until the background-work feature lands; it has its own place in the house
so that nothing else grows a queue of its own meanwhile.
"""

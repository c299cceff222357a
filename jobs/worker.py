"""The RQ worker class `flask jobs worker` runs."""

from rq import Worker

from jobs.tasks import dispatch_committed_mail


class AppWorker(Worker):
    """An RQ worker that hands on the e-mails a job committed, as a request's teardown would.

    A job runs in a forked child that exits without tearing down the app
    context, so without this a job's mail would wait for the relay.
    """

    def perform_job(self, job, queue, execution) -> bool:
        try:
            return super().perform_job(job, queue, execution)
        finally:
            dispatch_committed_mail()

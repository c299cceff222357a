"""How many requests the fuzzer sent in this run and which gave a 5xx (printed at the end of the run)."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    """Requests per case, and every 5xx with its case."""

    requests: Counter = field(default_factory=Counter)
    writes: Counter = field(default_factory=Counter)  # requests that got past validation and wrote
    server_errors: list = field(default_factory=list)

    def record(self, case_id: str, status: int) -> None:
        self.requests[case_id] += 1
        if status >= 500:
            self.server_errors.append((case_id, status))

    def wrote(self, case_id: str) -> None:
        self.writes[case_id] += 1

    def per_case(self) -> list[str]:
        """Requests and writes per case (with -v): a form that never writes is not fuzzed past its checks."""
        return [
            f"  {self.writes[case]:5d} of {count:5d} wrote: {case}"
            for case, count in sorted(self.requests.items())
        ]

    def summary(self) -> list[str]:
        """The lines the terminal summary prints (nothing when no fuzz test ran)."""
        if not self.requests:
            return []
        total, cases, errors = sum(self.requests.values()), len(self.requests), len(self.server_errors)
        lines = [f"fuzz: {total} examples (requests) over {cases} forms and pages; 5xx responses: {errors}"]
        lines += [f"  5xx {status} from {case}" for case, status in sorted(set(self.server_errors))]
        return lines


TALLY = Tally()

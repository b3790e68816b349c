"""The virtual clock: a discrete-event loop over a heap of (time, sequence, action).

Nothing in the engine reads the wall clock. Components schedule callbacks at virtual times;
`run_until` executes them in (time, insertion order), so the same input always replays the same
way. Idle time costs nothing: a pod sleeping for an hour is one heap entry, not 3,600 ticks.
"""

from __future__ import annotations

import heapq
from typing import Any, Callable


class Timer:
    __slots__ = ("time", "seq", "fn", "args", "label", "cancelled")

    def __init__(self, time: float, seq: int, fn: Callable[..., Any], args: tuple, label: str) -> None:
        self.time = time
        self.seq = seq
        self.fn = fn
        self.args = args
        self.label = label
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __lt__(self, other: "Timer") -> bool:
        return (self.time, self.seq) < (other.time, other.seq)


class Clock:
    def __init__(self, start: float = 0.0) -> None:
        self.now = float(start)
        self._heap: list[tuple[float, int, Timer]] = []   # tuples compare in C: fast heap operations
        self._seq = 0

    def at(self, time: float, fn: Callable[..., Any], *args: Any, label: str = "") -> Timer:
        """Run fn(*args) at virtual `time` (never in the past: a past time means now)."""
        t = max(float(time), self.now)
        self._seq += 1
        timer = Timer(t, self._seq, fn, args, label)
        heapq.heappush(self._heap, (t, self._seq, timer))
        return timer

    def after(self, delay: float, fn: Callable[..., Any], *args: Any, label: str = "") -> Timer:
        return self.at(self.now + max(0.0, float(delay)), fn, *args, label=label)

    def soon(self, fn: Callable[..., Any], *args: Any, label: str = "") -> Timer:
        """Run at the current virtual time, after everything already queued for it."""
        return self.at(self.now, fn, *args, label=label)

    def next_time(self) -> float | None:
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def run_one(self, limit: float | None = None) -> bool:
        """Run the single next action if it is due by `limit`. True if one ran."""
        t = self.next_time()
        if t is None or (limit is not None and t > limit):
            return False
        _, _, timer = heapq.heappop(self._heap)
        self.now = timer.time
        timer.fn(*timer.args)
        return True

    def step(self) -> float | None:
        """Advance to the next time anything happens and run everything due then."""
        t = self.next_time()
        if t is None:
            return None
        while self.run_one(limit=t):
            pass
        return t

    def run_until(self, time: float) -> None:
        while self.run_one(limit=time):
            pass
        self.now = max(self.now, float(time))

    def pending(self) -> int:
        return sum(1 for _, _, t in self._heap if not t.cancelled)

"""client-go/util/flowcontrol/backoff.go, on the virtual clock."""

from __future__ import annotations


class Backoff:
    __slots__ = ("initial", "max", "entries")

    def __init__(self, initial: float, maximum: float) -> None:
        self.initial = initial
        self.max = maximum
        self.entries: dict[str, list[float]] = {}  # id -> [backoff, lastUpdate]

    def _expired(self, event_time: float, last_update: float) -> bool:
        # hasExpired: eventTime.Sub(lastUpdate) > maxDuration*2
        return event_time - last_update > 2 * self.max

    def next(self, key: str, event_time: float, now: float | None = None) -> float:
        """Next(id, eventTime): initial value for a new/expired entry (expiry judged at eventTime),
        otherwise doubled (capped); lastUpdate = now."""
        now = event_time if now is None else now
        e = self.entries.get(key)
        if e is None or self._expired(event_time, e[1]):
            e = [self.initial, now]
            self.entries[key] = e
        else:
            e[0] = min(e[0] * 2, self.max)
            e[1] = now
        return e[0]

    def get(self, key: str) -> float:
        e = self.entries.get(key)
        return e[0] if e else 0.0

    def is_in_backoff_since(self, key: str, event_time: float, now: float) -> bool:
        """IsInBackOffSince(id, eventTime): now - eventTime < backoff (unless expired)."""
        e = self.entries.get(key)
        if e is None or self._expired(event_time, e[1]):
            return False
        return now - event_time < e[0]

    def is_in_backoff_since_update(self, key: str, now: float) -> bool:
        """IsInBackOffSinceUpdate(id, eventTime): now - lastUpdate < backoff (unless expired)."""
        e = self.entries.get(key)
        if e is None or self._expired(now, e[1]):
            return False
        return now - e[1] < e[0]

    def remaining(self, key: str, since: float, now: float) -> float:
        e = self.entries.get(key)
        if e is None:
            return 0.0
        return max(0.0, since + e[0] - now)

    def gc(self, prefix: str) -> None:
        for k in [k for k in self.entries if k.startswith(prefix)]:
            del self.entries[k]

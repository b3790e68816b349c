"""PrioritySort (plugins/queuesort/priority_sort.go): the activeQ order. Higher priority first;
equal priorities in the order the pods were queued (QueuedPodInfo.Timestamp)."""

from __future__ import annotations


class PrioritySort:
    name = "PrioritySort"

    @staticmethod
    def key(priority: int, timestamp: float, seq: int) -> tuple:
        """Heap key equivalent to Less(): (-priority, timestamp, arrival sequence)."""
        return (-priority, timestamp, seq)

    @staticmethod
    def less(p1: int, t1: float, p2: int, t2: float) -> bool:
        return p1 > p2 or (p1 == p2 and t1 < t2)

"""DefaultPreemption, the default profile's PostFilter plugin
(plugins/defaultpreemption/default_preemption.go). The Evaluator (framework/preemption) lives in
kubetrainer.sim.scheduler.preemption; this module is the plugin's entry point."""

from __future__ import annotations

from kubetrainer.sim.scheduler.preemption import (NO_VICTIMS, NOT_ELIGIBLE_NEVER, NOT_ELIGIBLE_TERMINATING,
                                                  NOT_HELPFUL, PreemptionResult, preempt)

__all__ = ["DefaultPreemption", "NO_VICTIMS", "NOT_ELIGIBLE_NEVER", "NOT_ELIGIBLE_TERMINATING", "NOT_HELPFUL"]


class DefaultPreemption:
    name = "DefaultPreemption"
    legacy: tuple[str, ...] = ()

    def post_filter(self, fw, state, outcomes, first) -> PreemptionResult:
        return preempt(fw, state, outcomes, first)

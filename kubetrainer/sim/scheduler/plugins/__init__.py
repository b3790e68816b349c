"""The default profile's plugins, one module each (pkg/scheduler/framework/plugins/*), in the
MultiPoint order of pkg/scheduler/apis/config/v1/default_plugins.go getDefaultPlugins."""

from __future__ import annotations


def default_plugins() -> list:
    from kubetrainer.sim.scheduler.plugins.nodeunschedulable import NodeUnschedulable
    from kubetrainer.sim.scheduler.plugins.nodename import NodeName
    from kubetrainer.sim.scheduler.plugins.tainttoleration import TaintToleration
    from kubetrainer.sim.scheduler.plugins.nodeaffinity import NodeAffinity
    from kubetrainer.sim.scheduler.plugins.nodeports import NodePorts
    from kubetrainer.sim.scheduler.plugins.noderesources_fit import NodeResourcesFit
    from kubetrainer.sim.scheduler.plugins.podtopologyspread import PodTopologySpread
    from kubetrainer.sim.scheduler.plugins.interpodaffinity import InterPodAffinity
    from kubetrainer.sim.scheduler.plugins.balanced_allocation import NodeResourcesBalancedAllocation
    from kubetrainer.sim.scheduler.plugins.imagelocality import ImageLocality

    return [NodeUnschedulable(), NodeName(), TaintToleration(), NodeAffinity(), NodePorts(), NodeResourcesFit(),
            PodTopologySpread(), InterPodAffinity(), NodeResourcesBalancedAllocation(), ImageLocality()]

"""kube-controller-manager's workload controllers and node lifecycle, one module each:
replicaset, deployment, daemonset, statefulset, job, cronjob, nodelifecycle (+ taint eviction), disruption,
resourcequota, persistentvolume (+ an external provisioner), gc."""

from __future__ import annotations

from typing import Any


def controllers() -> list[Any]:
    """The controller-manager components of a default cluster, in start-up order."""
    from kubetrainer.sim.controllers.deployment import DeploymentController
    from kubetrainer.sim.controllers.gc import GarbageCollector
    from kubetrainer.sim.controllers.replicaset import ReplicaSetController, ReplicationControllerController

    comps: list[Any] = [DeploymentController(), ReplicaSetController(), ReplicationControllerController()]
    try:
        from kubetrainer.sim.controllers.daemonset import DaemonSetController

        comps.append(DaemonSetController())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.controllers.statefulset import StatefulSetController

        comps.append(StatefulSetController())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.controllers.job import JobController

        comps.append(JobController())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.controllers.cronjob import CronJobController

        comps.append(CronJobController())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.controllers.nodelifecycle import NodeLifecycleController

        comps.append(NodeLifecycleController())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.controllers.disruption import DisruptionController

        comps.append(DisruptionController())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.controllers.resourcequota import ResourceQuotaController

        comps.append(ResourceQuotaController())
    except ImportError:
        pass
    from kubetrainer.sim.controllers.namespaces import NamespaceObjectsController
    from kubetrainer.sim.controllers.persistentvolume import PersistentVolumeController

    comps.append(PersistentVolumeController())
    comps.append(NamespaceObjectsController())
    comps.append(GarbageCollector())
    return comps


def world_event(cluster: Any, line: str) -> str:
    """`node-down NAME` / `node-up NAME` (called by Cluster.world_command after the kubelets)."""
    from kubetrainer.sim.controllers.nodelifecycle import world_event as _we

    return _we(cluster, line)

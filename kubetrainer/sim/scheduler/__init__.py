"""kube-scheduler's default profile, simulated (issue #3).

Layout (one module per plugin, as pkg/scheduler/framework/plugins):

* nodetable.py   the scheduler cache as numpy columns (one row per node)
* podinfo.py     requests / non-zero requests / priority of a pod (framework.PodInfo)
* types.py       FilterOutcome, CycleState, Plugin
* framework.py   one scheduling cycle: filters (first failure per node), percentageOfNodesToScore
                 with the rotating start index, scores x weights, selectHost, FitError text, Record
* preemption.py  DefaultPreemption (PostFilter)
* plugins/       PrioritySort (queuesort), NodeUnschedulable, NodeName, TaintToleration,
                 NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity,
                 DefaultPreemption, NodeResourcesBalancedAllocation, ImageLocality
* component.py   SchedulerComponent: informers, scheduling queue (PrioritySort, back-off,
                 queueing hints), bind, events, preemption side effects
* admission.py   the kubelet's admission of nodeName pods (OutOfcpu, ...)
* explain.py     why-pending sentences, legacy predicate/priority names (legacy.py: per plugin)
* workloads.py   the pods a Deployment/ReplicaSet/... would create (for `kubetrainer schedule`)
"""

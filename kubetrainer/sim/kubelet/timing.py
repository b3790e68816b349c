"""The kubelet's timing model (KUBERNETES.md §16): deterministic choices inside the real windows.

Each constant names where the real value or window comes from.
"""

# Pod sandbox creation (RunPodSandbox + CNI) before the first image step. Real clusters: ~0.5–2 s
# between the Scheduled and Pulling events. (kuberuntime_manager.go SyncPod step 4)
SANDBOX_SECONDS = 1.0

# A pull (policy Always) of an image whose layers are already on the node only resolves the
# manifest: real clusters report "Successfully pulled image ... in 300–800ms".
CACHED_PULL_SECONDS = 0.5

# PLEG relist period (pkg/kubelet/kubelet.go plegRelistPeriod = 1 s): a container that exits by
# itself is noticed, and the pod re-synced, at most this long after the exit.
PLEG_RELIST_SECONDS = 1.0

# Pod worker requeue after a sync error (pkg/kubelet/kubelet.go backOffPeriod = 10 s; the real
# requeue is wait.Jitter(10s, 0.5) ∈ [10, 15) — we take the lower bound).
SYNC_ERROR_REQUEUE_SECONDS = 10.0

# client-go flowcontrol back-off used for container restarts (kubelet.go initialCrashLoopBackOff,
# MaxContainerBackOff) and image pulls (imageBackOffPeriod, MaxImageBackOff).
CRASHLOOP_INITIAL_SECONDS = 10.0
CRASHLOOP_MAX_SECONDS = 300.0
IMAGE_BACKOFF_INITIAL_SECONDS = 10.0
IMAGE_BACKOFF_MAX_SECONDS = 300.0

# kuberuntime_container.go killContainer: minimumGracePeriodInSeconds = 2
MINIMUM_GRACE_PERIOD_SECONDS = 2

# Time from "all containers stopped" to the kubelet's final delete (status manager, ≤ 1–2 s
# in a real cluster). 0: the pod disappears when its last container dies.
FINAL_DELETE_SECONDS = 0.0

# Probe defaults (SetDefaults_Probe) when the object was not defaulted.
PROBE_DEFAULTS = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3,
                  "initialDelaySeconds": 0}

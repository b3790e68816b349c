"""The Textual user interface: a view over the engine (kubetrainer.sim) and the course.

Nothing here knows Kubernetes: every fact on screen comes from the engine's own objects
(Cluster.flow, Cluster.events, the scheduler's records, the phase/state tables, result()).
Importing this package does not import textual; `kubetrainer.tui.app` does.
"""

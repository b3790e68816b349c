"""kubetrainer: learn how Kubernetes runs Pods, in the terminal."""

__version__ = "0.1.0"

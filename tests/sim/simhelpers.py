"""Helpers for tests/sim (a unique module name: other test folders have their own conftest)."""


def pod(name="web", image="busybox:1.36", command=None, args=None, **spec):
    c = {"name": spec.pop("container_name", name), "image": image}
    if command is not None:
        c["command"] = command
    if args is not None:
        c["args"] = args
    for k in ("env", "envFrom", "livenessProbe", "readinessProbe", "startupProbe", "resources", "lifecycle",
              "ports", "volumeMounts", "imagePullPolicy"):
        if k in spec:
            c[k] = spec.pop(k)
    p = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
         "spec": {"containers": [c], **spec}}
    return p

"""What every namespace gets, and the API server's own Service:

* the `default` ServiceAccount (pkg/controller/serviceaccount serviceaccounts_controller.go);
* the `kube-root-ca.crt` ConfigMap (pkg/controller/certificates/rootcacertpublisher publisher.go,
  with its kubernetes.io/description annotation);
* `default/kubernetes`, the ClusterIP Service of the API server (pkg/controlplane/controller/
  kubernetesservice: 10.96.0.1, port https 443 -> 6443).

They are made at the moment their namespace appears, with fixed uids: they draw no random numbers,
so the seeded names of everything else stay as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.store import fixed_uid

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
CA_BUNDLE = "-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n"
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
               "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
               "distributions of Kubernetes clusters.")


def _namespace_objects(ns: str) -> list[Obj]:
    objs: list[Obj] = [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": "default", "namespace": ns, "uid": fixed_uid("ServiceAccount", ns, "default")}},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "kube-root-ca.crt", "namespace": ns, "uid": fixed_uid("ConfigMap", ns, "kube-root-ca.crt"),
                      "annotations": {"kubernetes.io/description": DESCRIPTION}},
         "data": {"ca.crt": CA_BUNDLE}},
    ]
    if ns == "default":
        objs.append({"apiVersion": "v1", "kind": "Service",
                     "metadata": {"name": "kubernetes", "namespace": "default",
                                  "uid": fixed_uid("Service", "default", "kubernetes"),
                                  "labels": {"component": "apiserver", "provider": "kubernetes"}},
                     "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "internalTrafficPolicy": "Cluster",
                              "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                              "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                              "sessionAffinity": "None", "type": "ClusterIP"},
                     "status": {"loadBalancer": {}}})
    return objs


class NamespaceObjectsController:
    name = "namespace-objects"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        for ns in cluster.store.list("Namespace"):
            self._fill(ns)
        cluster.store.watch("Namespace", self._on_namespace)

    def _on_namespace(self, event: str, ns: Obj) -> None:
        if event == "ADDED":
            self._fill(ns)

    def _fill(self, ns: Obj) -> None:
        store = self.cluster.store
        name = ns["metadata"]["name"]
        if ns["metadata"].get("deletionTimestamp") is not None or store.get("Namespace", "", name) is None:
            return
        for obj in _namespace_objects(name):
            if store.get(obj["kind"], name, obj["metadata"]["name"]) is None:
                store.create(obj)

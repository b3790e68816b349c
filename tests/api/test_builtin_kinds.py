"""Every kind a default v1.34 API server serves decodes strictly (fidelity gap #18): kinds kubetrainer
does not simulate (PVC, Ingress, HPA v2, RBAC, CRD ...) validate with the 1.34 OpenAPI schema;
only GA group versions are served (beta APIs added after 1.24 are off by default)."""

from __future__ import annotations

import pytest

from kubetrainer.api import schema
from kubetrainer.api.intake import intake_text

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec:
                  type: string
                image:
                  type: string
                replicas:
                  type: integer
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames:
    - ct
"""

DOCS = {
    "clusterrole": """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "system:aggregate-to-view:extra"
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "watch", "list"]
""",
    "crb": """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: read-secrets-global
subjects:
- kind: Group
  name: manager
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: secret-reader
  apiGroup: rbac.authorization.k8s.io
""",
    "ingressclass": """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: external-lb
spec:
  controller: example.com/ingress-controller
  parameters:
    apiGroup: k8s.example.com
    kind: IngressParameters
    name: external-lb
""",
    "hpa-v1": """\
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php-apache}
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 50
""",
    "endpointslice": """\
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: example-abc
  labels:
    kubernetes.io/service-name: example
addressType: IPv4
ports:
  - name: http
    protocol: TCP
    port: 80
endpoints:
  - addresses:
      - "10.1.2.3"
    conditions:
      ready: true
    hostname: pod-1
    nodeName: node-1
    zone: us-west2-a
""",
    "lease": """\
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: my-lease
spec:
  holderIdentity: me
  leaseDurationSeconds: 15
""",
    "crd": CRD,
    "sa": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\nautomountServiceAccountToken: false\n",
    "runtimeclass": "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: myclass\nhandler: myconfiguration\n",
    "limitrange": """\
apiVersion: v1
kind: LimitRange
metadata:
  name: cpu-min-max-demo-lr
spec:
  limits:
  - max:
      cpu: "800m"
    min:
      cpu: "200m"
    type: Container
""",
    "quota": """\
apiVersion: v1
kind: ResourceQuota
metadata:
  name: pods-quota
spec:
  hard:
    pods: "2"
""",
}


@pytest.mark.parametrize("name", sorted(DOCS))
def test_docs_kind_validates(name):
    ms, ps = intake_text(DOCS[name], f"{name}.yaml")
    assert ps == [] and len(ms) == 1


def test_pvc_unknown_field_is_strict():
    text = ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n"
            "  accessMode: [ReadWriteOnce]\n")
    ms, ps = intake_text(text, "pvc.yaml")
    assert [str(p) for p in ps] == ['pvc.yaml:6:3: strict decoding error: unknown field "spec.accessMode"']


def test_hpa_v2_field_in_v1_is_rejected():
    """autoscaling/v1 has no spec.metrics: the schema of the written version is used."""
    text = ("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n"
            "  maxReplicas: 3\n  scaleTargetRef: {kind: Deployment, name: d}\n  metrics: []\n")
    ms, ps = intake_text(text, "hpa.yaml")
    assert [p.message for p in ps] == ['strict decoding error: unknown field "spec.metrics"']


def test_wrong_version_names_served_one():
    text = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n"
    ms, ps = intake_text(text, "ing.yaml")
    assert ps and 'no matches for kind "Ingress" in version "extensions/v1beta1"' in ps[0].message
    assert "networking.k8s.io/v1" in ps[0].message


def test_beta_only_kinds_are_not_served():
    text = "apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\nmetadata:\n  name: v\ndriverName: d\n"
    ms, ps = intake_text(text, "vac.yaml")
    assert ps and "no matches for kind" in ps[0].message


def test_cluster_scoped_kinds_have_no_namespace():
    ms, ps = intake_text(DOCS["clusterrole"], "cr.yaml")
    assert ms[0].namespace is None
    assert schema.is_cluster_scoped("StorageClass") and not schema.is_cluster_scoped("PersistentVolumeClaim")


def test_rbac_names_are_path_segments():
    bad = DOCS["clusterrole"].replace('"system:aggregate-to-view:extra"', '"a/b"')
    ms, ps = intake_text(bad, "cr.yaml")
    assert [p.message for p in ps] == ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]


def test_every_served_kind_has_a_definition():
    for key, entry in schema.schema()["served"].items():
        assert schema.definition(entry["def"])["p"], key


def test_served_kinds_include_the_common_ones():
    served = set(schema.schema()["served"])
    for key in ["v1 PersistentVolumeClaim", "v1 PersistentVolume", "storage.k8s.io/v1 StorageClass",
                "networking.k8s.io/v1 Ingress", "networking.k8s.io/v1 IngressClass", "autoscaling/v2 HorizontalPodAutoscaler",
                "autoscaling/v1 HorizontalPodAutoscaler", "networking.k8s.io/v1 NetworkPolicy",
                "rbac.authorization.k8s.io/v1 ClusterRoleBinding", "v1 ServiceAccount", "batch/v1 CronJob",
                "discovery.k8s.io/v1 EndpointSlice", "coordination.k8s.io/v1 Lease",
                "apiextensions.k8s.io/v1 CustomResourceDefinition", "v1 Endpoints", "v1 Event"]:
        assert key in served
    assert not any(k.endswith("List") for k in served)


@pytest.mark.parametrize("spec,messages", [
    ("spec: {resources: {requests: {storage: 1Gi}}}",
     ["spec.accessModes: Required value: at least 1 access mode is required"]),
    ("spec: {accessModes: [ReadWriteOnce, Foo], resources: {requests: {storage: 1Gi}}}",
     ['spec.accessModes: Unsupported value: "Foo": supported values: "ReadOnlyMany", "ReadWriteMany", '
      '"ReadWriteOnce", "ReadWriteOncePod"']),
    ("spec: {accessModes: [ReadWriteOnce]}", ["spec.resources[storage]: Required value"]),
    ("spec: {accessModes: [ReadWriteOncePod, ReadWriteOnce], resources: {requests: {storage: 0}}}",
     ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
      'spec.resources[storage]: Invalid value: "0": must be greater than zero']),
])
def test_pvc_spec_validation(spec, messages):
    """pkg/apis/core/validation ValidatePersistentVolumeClaimSpec."""
    text = f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: c}}\n{spec}\n"
    ms, ps = intake_text(text, "pvc.yaml")
    assert [p.message for p in ps] == messages


@pytest.mark.parametrize("av,kind,removed,served", [
    ("networking.k8s.io/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "1.22", "rbac.authorization.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22", "apiextensions.k8s.io/v1"),
])
def test_removed_versions_name_the_release(av, kind, removed, served):
    """kubernetes.io/docs/reference/using-api/deprecation-guide."""
    ms, ps = intake_text(f"apiVersion: {av}\nkind: {kind}\nmetadata: {{name: x}}\n", "old.yaml")
    assert [p.message for p in ps] == [
        f'no matches for kind "{kind}" in version "{av}" ({av} stopped serving {kind} in Kubernetes {removed}; '
        f"use apiVersion: {served})"]


def test_typed_list_documents_are_flattened():
    """kubectl's unstructuredJSONScheme decodes any document with `items` as a list (DeploymentList)."""
    text = ("apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n"
            "  metadata: {name: d}\n  spec:\n    selector: {matchLabels: {a: b}}\n    template:\n"
            "      metadata: {labels: {a: b}}\n      spec: {containers: [{name: c, image: nginx}]}\n")
    ms, ps = intake_text(text, "dl.yaml")
    assert ps == [] and [m.kind for m in ms] == ["Deployment"]


CRON = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: hello}\nspec:\n  schedule: \"SCHED\"\n  jobTemplate:\n"
        "    spec:\n      template:\n        spec:\nRP          containers: [{name: hello, image: busybox}]\n")


@pytest.mark.parametrize("sched,message", [
    ("*/5 * * * *", None), ("@hourly", None), ("@every 1h30m", None), ("0 0 * JAN-MAR MON-FRI", None),
    ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"),
    ("61 * * * *", "end of range (61) above maximum (59): 61"),
    ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("@foo", "unrecognized descriptor: @foo"),
    ("TZ=UTC 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
])
def test_cronjob_schedule(sched, message):
    """validateScheduleFormat: robfig/cron/v3 ParseStandard errors."""
    ms, ps = intake_text(CRON.replace("SCHED", sched).replace("RP", "          restartPolicy: OnFailure\n"), "cj.yaml")
    if message is None:
        assert ps == []
    else:
        assert [p.message for p in ps] == [f'spec.schedule: Invalid value: "{sched}": {message}']


def test_cronjob_template_needs_restart_policy():
    """The pod template is defaulted (restartPolicy Always) and validateJobSpec rejects it."""
    ms, ps = intake_text(CRON.replace("SCHED", "*/1 * * * *").replace("RP", ""), "cj.yaml")
    assert [str(p) for p in ps] == ['cj.yaml:9:9: spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported '
                                    'value: "Always": supported values: "OnFailure", "Never"']


def test_ingress_paths_and_backends():
    """pkg/apis/networking/validation validateHTTPIngressPath / validateIngressBackend (networking/v1:
    pathType is required, no default)."""
    text = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - http:\n"
            "      paths:\n      - path: /a\n        backend: {service: {name: test, port: {number: 80}}}\n"
            "      - path: foo\n        pathType: Prefix\n        backend: {service: {name: test, port: {name: http}}}\n"
            "      - path: /x\n        pathType: Regex\n        backend: {}\n")
    ms, ps = intake_text(text, "ing.yaml")
    assert [str(p) for p in ps] == [
        "ing.yaml:8:9: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
        'ing.yaml:10:15: spec.rules[0].http.paths[1].path: Invalid value: "foo": must be an absolute path',
        'ing.yaml:14:19: spec.rules[0].http.paths[2].pathType: Unsupported value: "Regex": supported values: '
        '"Exact", "ImplementationSpecific", "Prefix"',
        'ing.yaml:15:18: spec.rules[0].http.paths[2].backend: Invalid value: "": resource or service backend is required']


def test_cronjob_name_limit():
    text = CRON.replace("hello}", "a" * 53 + "}", 1).replace("SCHED", "@daily").replace("RP", "          restartPolicy: Never\n")
    ms, ps = intake_text(text, "cj.yaml")
    assert [p.message for p in ps] == [f'metadata.name: Invalid value: "{"a" * 53}": must be no more than 52 characters']


def test_hpa_replica_bounds_and_target():
    """pkg/apis/autoscaling/validation validateHorizontalPodAutoscalerSpec."""
    text = ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
            "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment}\n  minReplicas: 5\n  maxReplicas: 3\n")
    ms, ps = intake_text(text, "hpa.yaml")
    assert [str(p) for p in ps] == [
        "hpa.yaml:7:16: spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`",
        "hpa.yaml:5:3: spec.scaleTargetRef.name: Required value"]


def test_rbac_rules_role_ref_and_subjects():
    """pkg/apis/rbac/validation ValidatePolicyRule, ValidateClusterRoleBinding, ValidateRoleBindingSubject."""
    text = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- apiGroups: [\"\"]\n"
            "  resources: [pods]\n- resources: [pods]\n  verbs: [get]\n---\n"
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nsubjects:\n"
            "- kind: ServiceAccount\n  name: default\n- kind: Robot\n  name: r2\nroleRef:\n  kind: Role\n  name: view\n"
            "  apiGroup: rbac.authorization.k8s.io\n")
    ms, ps = intake_text(text, "rbac.yaml")
    assert [str(p) for p in ps] == [
        "rbac.yaml:5:3: rules[0].verbs: Required value: verbs must contain at least one value",
        "rbac.yaml:7:3: rules[1].apiGroups: Required value: resource rules must supply at least one api group",
        'rbac.yaml:19:9: roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
        "rbac.yaml:14:3: subjects[0].namespace: Required value",
        'rbac.yaml:16:9: subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"']


def test_network_policy_peers_ports_policy_types():
    """pkg/apis/networking/validation ValidateNetworkPolicySpec / Port / Peer."""
    text = ("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n  podSelector: {}\n"
            "  policyTypes: [Ingress, Egres]\n  ingress:\n  - from:\n    - {}\n    - ipBlock: {cidr: 10.0.0.0/8}\n"
            "      podSelector: {}\n    ports:\n    - protocol: ICMP\n")
    ms, ps = intake_text(text, "np.yaml")
    assert [str(p) for p in ps] == [
        'np.yaml:13:17: spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
        "np.yaml:9:7: spec.ingress[0].from[0]: Required value: must specify a peer",
        "np.yaml:10:7: spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
        'np.yaml:6:26: spec.policyTypes[1]: Unsupported value: "Egres": supported values: "Ingress", "Egress"']

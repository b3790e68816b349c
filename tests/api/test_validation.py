"""Semantic validation messages (pkg/apis/core/validation, pkg/apis/apps/validation)."""

from __future__ import annotations

from kubetrainer.api.defaults import default_object
from kubetrainer.api.intake import intake_text
from kubetrainer.api.validation import validate_update

from .helpers import pod

DNS_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DNS_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
             "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")


def problems(text: str) -> list[str]:
    return [str(p) for p in intake_text(text, "f")[1]]


def deployment(spec_extra: str = "", tpl_labels: str = "{app: web}", selector: str = "{matchLabels: {app: web}}",
               tpl_spec_extra: str = "") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {selector}
{spec_extra}  template:
    metadata: {{labels: {tpl_labels}}}
    spec:
{tpl_spec_extra}      containers: [{{name: c, image: nginx}}]
"""


def test_pod_name_dns_subdomain():
    assert problems(pod(name="Web_1")) == [f'f:4:9: metadata.name: Invalid value: "Web_1": {DNS_SUBDOMAIN}']


def test_name_required():
    assert problems("apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: a, image: b}]}\n") == [
        "f:3:1: metadata.name: Required value: name or generateName is required"]


def test_container_name_label_and_duplicate():
    text = pod("  - name: Web\n    image: nginx\n  - name: web\n    image: nginx\n")
    assert problems(text) == [f'f:9:11: spec.containers[1].name: Invalid value: "Web": {DNS_LABEL}',
                              'f:11:11: spec.containers[2].name: Duplicate value: "web"']


def test_image_required():
    assert problems(pod("  - name: side\n")) == ["f:9:5: spec.containers[1].image: Required value"]


def test_containers_required():
    assert problems("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n") == [
        "f:4:8: spec.containers: Required value"]


def test_restart_policy_values():
    assert problems(pod("", "  restartPolicy: Sometimes\n")) == [
        'f:9:18: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']


def test_image_pull_policy_values():
    assert problems(pod("    imagePullPolicy: always\n")) == [
        'f:9:22: spec.containers[0].imagePullPolicy: Unsupported value: "always": supported values: '
        '"Always", "IfNotPresent", "Never"']


def test_ports_range_duplicates_protocol():
    text = pod("    ports:\n    - {containerPort: 70000, name: http}\n    - {containerPort: 80, name: http, protocol: tcp}\n")
    assert problems(text) == [
        "f:10:23: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'f:11:33: spec.containers[0].ports[1].name: Duplicate value: "http"',
        'f:11:49: spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"']


def test_port_name_rules():
    got = problems(pod('    ports: [{containerPort: 80, name: "8080"}]\n'))
    assert got == ['f:9:39: spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)']


def test_requests_not_above_limits():
    text = pod("    resources:\n      limits: {cpu: 1, memory: 1Gi}\n      requests: {cpu: 2, memory: 512Mi}\n")
    assert problems(text) == [
        'f:11:23: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']


def test_requests_quantities_canonical_in_message():
    text = pod("    resources:\n      limits: {cpu: 0.5}\n      requests: {cpu: 600m}\n")
    assert problems(text) == ['f:11:23: spec.containers[0].resources.requests: Invalid value: "600m": must be less '
                              'than or equal to cpu limit of 500m']


def test_nonstandard_resource_name():
    got = problems(pod("    resources: {limits: {gpu: 1}}\n"))
    # defaulting copied the limit into requests (Pod objects), so the server reports both
    assert got == ['f:9:26: spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard '
                   'resource for containers',
                   'f:9:5: spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard '
                   'resource for containers']


def test_one_probe_handler():
    text = pod("    livenessProbe:\n      httpGet: {port: 80}\n      tcpSocket: {port: 80}\n")
    assert problems(text) == [
        "f:11:7: spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]
    assert problems(pod("    readinessProbe: {periodSeconds: 5}\n")) == [
        "f:9:5: spec.containers[0].readinessProbe: Required value: must specify a handler type"]


def test_liveness_success_threshold_must_be_1():
    text = pod('    livenessProbe: {exec: {command: ["true"]}, successThreshold: 2}\n')
    assert problems(text) == ["f:9:66: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]


def test_env_var_names():
    text = pod("    env:\n    - {name: \"A=B\", value: x}\n    - {value: v}\n")
    assert problems(text) == [
        'f:10:14: spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must '
        "consist only of printable ASCII characters other than '='",
        "f:11:7: spec.containers[0].env[1].name: Required value"]


def test_volume_mount_not_found():
    text = pod("    volumeMounts: [{name: data, mountPath: /data}]\n")
    assert problems(text) == ['f:9:27: spec.containers[0].volumeMounts[0].name: Not found: "data"']


def test_labels_values():
    text = pod().replace("  name: web\n", "  name: web\n  labels: {app: \"bad value\"}\n")
    (msg,) = problems(text)
    assert msg.startswith('f:5:17: metadata.labels: Invalid value: "bad value": a valid label must be an empty '
                          "string or consist of alphanumeric characters")


def test_all_problems_of_a_file_in_one_pass():
    text = pod(name="Bad", extra_spec="  restartPolicy: X\n") + "---\n" + pod(name="Also_bad")
    assert len(problems(text)) == 3


# --- apps ---------------------------------------------------------------------------------------
def test_deployment_selector_required():
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n"
    # LabelSelectorAsSelector(nil) is labels.Nothing(), which is not Empty() and matches nothing:
    # the server reports the mismatch too
    assert problems(text) == ["f:4:1: spec.selector: Required value",
                              'f:6:24: spec.template.metadata.labels: Invalid value: map[string]string{"a":"b"}: '
                              "`selector` does not match template `labels`"]


def test_selector_must_match_template_labels():
    assert problems(deployment(tpl_labels="{app: api}")) == [
        'f:7:24: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: '
        "`selector` does not match template `labels`"]


def test_empty_selector_invalid():
    assert problems(deployment(selector="{}")) == [
        # field/errors.go ErrorBody: *LabelSelector dereferenced, no String() on the value -> %#v
        "f:5:13: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]
    assert problems(deployment(selector="{matchLabels: {}, matchExpressions: []}")) == [
        "f:5:13: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
        "MatchExpressions:[]v1.LabelSelectorRequirement{}}: empty selector is invalid for deployment"]


def test_template_restart_policy_always_only():
    assert problems(deployment(tpl_spec_extra="      restartPolicy: Never\n")) == [
        'f:9:22: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']


def test_max_surge_and_unavailable_both_zero():
    got = problems(deployment(spec_extra="  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n"))
    assert got == ["f:6:59: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when "
                   "`maxSurge` is 0"]


def test_bad_percent():
    # an IntOrString prints through its String(): no quotes; only maxUnavailable is capped at 100%
    got = problems(deployment(spec_extra="  strategy: {rollingUpdate: {maxUnavailable: 150%, maxSurge: 200%}}\n"))
    assert got == ['f:6:46: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater '
                   'than 100%']
    got = problems(deployment(spec_extra="  strategy: {rollingUpdate: {maxSurge: lots}}\n"))
    assert got == ["f:6:40: spec.strategy.rollingUpdate.maxSurge: Invalid value: lots: a valid percent string must "
                   "be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation "
                   "is '[0-9]+%')"]


def test_unknown_strategy_type():
    got = problems(deployment(spec_extra="  strategy: {type: Rolling}\n"))
    assert got == ['f:6:20: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Rolling", '
                   'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"']


def test_daemonset_rules():
    ds = deployment().replace("kind: Deployment", "kind: DaemonSet")
    assert problems(ds) == []
    no_sel = ds.replace("  selector: {matchLabels: {app: web}}\n", "")
    assert problems(no_sel) == ['f:6:24: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
                                '`selector` does not match template `labels`']
    both = ds.replace("spec:\n  selector", "spec:\n  updateStrategy: {rollingUpdate: {maxSurge: 1}}\n  selector")
    assert problems(both) == ["f:5:46: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set "
                              "when maxUnavailable is non-zero"]


def test_statefulset_rules():
    sts = deployment().replace("kind: Deployment", "kind: StatefulSet").replace("name: web}", "name: web.1}")
    assert problems(sts)[0].startswith('f:3:18: metadata.name: Invalid value: "web.1": must not contain dots')
    bad = deployment().replace("kind: Deployment", "kind: StatefulSet").replace(
        "spec:\n  selector", "spec:\n  podManagementPolicy: Serial\n  selector")
    assert problems(bad) == ["f:5:24: spec.podManagementPolicy: Invalid value: \"Serial\": must be 'OrderedReady' "
                             "or 'Parallel'"]


def test_recreate_with_rolling_update_forbidden():
    got = problems(deployment(spec_extra="  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n"))
    assert got == ["f:6:30: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
                   "'Recreate'"]


def test_statefulset_daemonset_replicaset_valid():
    for kind in ("ReplicaSet", "DaemonSet", "StatefulSet"):
        text = deployment().replace("kind: Deployment", f"kind: {kind}")
        if kind == "StatefulSet":
            text = text.replace("spec:\n  selector", "spec:\n  serviceName: web\n  selector")
        assert problems(text) == [], kind


# --- Secret / ConfigMap / Service ----------------------------------------------------------------
def test_dockerconfigjson_secret():
    base = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/dockerconfigjson\n"
    assert problems(base + "data: {a: YWJj}\n") == ["f:5:1: data[.dockerconfigjson]: Required value"]
    assert problems(base + "stringData:\n  .dockerconfigjson: '{not json'\n") == [
        'f:6:22: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'n\' '
        "looking for beginning of object key string"]
    assert problems(base + "data:\n  .dockerconfigjson: eyJhdXRocyI6e319\n") == []


def test_secret_base64():
    text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: 'abc!'\n"
    assert problems(text) == ["f:5:13: illegal base64 data at input byte 3"]


def test_secret_and_configmap_keys():
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  \"a b\": x\n"
    assert problems(text) == [
        "f:5:3: data: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' "
        "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]


def test_service_name_and_ports():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}, {port: 70000}]\n"
    assert problems(text) == ["f:6:11: spec.ports[0].name: Required value",
                              "f:6:23: spec.ports[1].name: Required value",
                              "f:6:30: spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
                              # SetDefaults_Service copied port into targetPort before validation
                              "f:6:23: spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]
    bad = text.replace("name: web", "name: 1web").replace(", {port: 70000}", "")
    (msg,) = problems(bad)
    assert msg.startswith('f:3:18: metadata.name: Invalid value: "1web": a DNS-1035 label must consist')


# --- updates -------------------------------------------------------------------------------------
def _obj(text):
    (m,), _ = intake_text(text, "f")
    return m.obj


def test_pod_update_only_image_allowed():
    old = _obj(pod())
    assert validate_update(old, _obj(pod().replace("nginx:1.16.0", "nginx:1.17.0"))) == []
    (msg,) = validate_update(old, _obj(pod("    ports: [{containerPort: 80}]\n")))
    assert msg.startswith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`")


def test_deployment_selector_immutable():
    old = _obj(deployment())
    new = _obj(deployment(selector="{matchLabels: {app: web, tier: x}}", tpl_labels="{app: web, tier: x}"))
    assert validate_update(old, new) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", "
        "\"tier\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]
    assert validate_update(old, _obj(deployment(spec_extra="  replicas: 5\n"))) == []


def test_validate_update_on_default_object_output():
    old = default_object({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "immutable": True,
                          "data": {"a": "YQ=="}}).obj
    new = dict(old, data={"a": "Yg=="})
    assert validate_update(old, new) == ["data: Forbidden: field is immutable when `immutable` is set"]


def test_pod_update_keeps_system_set_fields():
    old = _obj(pod())
    old["spec"]["nodeName"] = "node-1"  # the scheduler bound it
    old["spec"]["serviceAccountName"] = "default"
    assert validate_update(old, _obj(pod().replace("nginx:1.16.0", "nginx:1.17.0"))) == []
    moved = _obj(pod(extra_spec="  nodeName: node-2\n"))
    assert validate_update(old, moved)[0].startswith("spec: Forbidden: pod updates may not change fields")


def test_extended_resources_integer_and_equal_to_limit():
    text = pod("    resources:\n      limits: {example.com/foo: 2}\n"
               "      requests: {example.com/foo: 1, example.com/bar: 0.5}\n")
    assert problems(text) == [
        'f:11:35: spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/foo limit of 2',
        "f:11:55: spec.containers[0].resources.requests[example.com/bar]: Invalid value: 500m: must be an integer",
        "f:11:38: spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable "
        "resources"]


def test_plain_init_container_may_not_have_probes_or_lifecycle():
    text = pod("", "  initContainers:\n  - name: init\n    image: busybox\n"
                   "    livenessProbe: {exec: {command: [ls]}}\n    lifecycle: {preStop: {exec: {command: [ls]}}}\n")
    # validateInitContainers order: lifecycle, then the probes
    assert problems(text) == [
        "f:13:5: spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without "
        "restartPolicy=Always",
        "f:12:5: spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without "
        "restartPolicy=Always"]
    sidecar = text.replace("    image: busybox\n", "    image: busybox\n    restartPolicy: Always\n")
    assert problems(sidecar) == []


def test_deployment_without_template():
    # the template is a struct: absent means empty (and defaulted) before validation
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: a}}\n"
    assert problems(text) == [
        "f:4:1: spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match "
        "template `labels`",
        "f:4:1: spec.template.spec.containers: Required value"]


def test_statefulset_template_spec_is_not_validated_on_the_statefulset():
    # ValidatePodTemplateSpecForStatefulSet only checks labels/annotations ("TODO: Add validation
    # for PodSpec"): the volumeMount of a volumeClaimTemplate is fine, and a missing image only
    # fails when the controller creates the pod
    text = deployment(tpl_spec_extra="").replace("kind: Deployment", "kind: StatefulSet").replace(
        "image: nginx}", "volumeMounts: [{name: www, mountPath: /data}]}")
    assert problems(text) == []


def test_template_restart_policy_invalid_value_reports_both():
    got = problems(deployment(tpl_spec_extra="      restartPolicy: Sometimes\n"))
    assert got == ['f:9:22: spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
                   '"Always", "OnFailure", "Never"',
                   'f:9:22: spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
                   '"Always"']


def test_env_value_from_rules():
    text = pod("    env:\n"
               "    - {name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n"
               "    - {name: B, valueFrom: {}}\n"
               "    - {name: C, valueFrom: {fieldRef: {fieldPath: spec.restartPolicy}}}\n"
               "    - {name: D, valueFrom: {fieldRef: {fieldPath: status.nope}}}\n"
               "    - {name: E, valueFrom: {secretKeyRef: {name: s}}}\n"
               "    - {name: F, valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}}\n")
    assert problems(text) == [
        'f:10:38: spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not '
        'empty',
        'f:11:28: spec.containers[0].env[1].valueFrom: Invalid value: "": must specify one of: `fieldRef`, '
        '`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        'f:12:51: spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.restartPolicy": '
        'supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", '
        '"spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
        'f:13:51: spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Invalid value: "status.nope": error '
        'converting fieldPath: field label not supported: status.nope',
        "f:14:29: spec.containers[0].env[4].valueFrom.secretKeyRef.key: Required value"]


def test_port_name_duplicates_and_host_port_conflicts():
    text = pod("    ports:\n    - {containerPort: 80, hostPort: 8080}\n"
               "  - name: side\n    image: x\n    ports: [{containerPort: 81, hostPort: 8080}]\n")
    assert problems(text) == ['f:13:43: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']


def test_tolerations():
    text = pod("", "  tolerations:\n  - {operator: Equal, value: x}\n  - {key: k, operator: Exists, value: v}\n"
                   "  - {key: k, value: v, effect: NoSchedule, tolerationSeconds: 5}\n  - {key: k, effect: Sometimes}\n")
    assert problems(text) == [
        'f:10:16: spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, '
        'which means "match all values and all keys"',
        'f:11:39: spec.tolerations[1].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", '
        'Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
        'f:12:32: spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when '
        '`tolerationSeconds` is set',
        'f:13:22: spec.tolerations[3].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", '
        '"PreferNoSchedule", "NoExecute"']


def test_node_affinity_rules():
    text = pod("", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                   "        nodeSelectorTerms:\n        - matchExpressions:\n"
                   "          - {key: zone, operator: In}\n          - {key: cores, operator: Gt, values: ['1', '2']}\n"
                   "          - {key: disk, operator: Has}\n"
                   "        - matchFields: [{key: metadata.labels, operator: In, values: [a]}]\n")
    assert problems(text) == [
        "f:14:13: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
        ".matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "f:15:13: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
        ".matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
        'f:16:35: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]'
        '.matchExpressions[2].operator: Invalid value: "Has": not a valid selector operator',
        'f:17:31: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1]'
        '.matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key']


def test_statefulset_update_rules():
    sts = deployment().replace("kind: Deployment", "kind: StatefulSet")
    old = _obj(sts)
    assert validate_update(old, _obj(sts.replace("spec:\n  selector", "spec:\n  replicas: 3\n  selector"))) == []
    changed = _obj(sts.replace("spec:\n  selector", "spec:\n  serviceName: other\n  selector"))
    assert validate_update(old, changed) == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]


def test_priority_class_value_limit():
    text = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 2000000000\n"
    assert problems(text) == ["f:4:1: value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]
    assert problems(text.replace("2000000000", "1000000")) == []


def test_server_warnings_are_located_and_not_errors():
    # pkg/api/pod/warnings.go
    text = pod("    env: [{name: FOO, value: \"1\"}, {name: FOO, value: \"2\"}, {name: FOO, value: \"$(FOO)-x\"}]\n"
               "    ports: [{containerPort: 80}, {containerPort: 80}]\n")
    (m,), ps = intake_text(text, "f")
    assert ps == []
    assert [str(w) for w in m.warnings] == [
        'f:9:36: Warning: spec.containers[0].env[1]: hides previous definition of "FOO", which may be dropped when '
        'using apply',
        "f:10:34: Warning: spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]"]


def test_warnings_for_templates_use_the_template_path():
    text = deployment(tpl_spec_extra="      imagePullSecrets: [{name: a}, {name: a}]\n")
    (m,), ps = intake_text(text, "f")
    assert ps == [] and [str(w) for w in m.warnings] == [
        'f:9:38: Warning: spec.template.spec.imagePullSecrets[1].name: duplicate name "a"']

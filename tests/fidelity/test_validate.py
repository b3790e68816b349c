"""`kubetrainer validate`: the messages of pkg/apis/core/validation + apps/validation (KUBERNETES.md
§15), located at the right line, and a hostile-input corpus: exit 1, the file name and line, no
traceback, no raw escape codes, done in seconds. Valid files with CRLF and anchors pass."""

from __future__ import annotations

import re
import time

import pytest

from .fid import DOCS, validate, write

ESC = "\x1b"


def _check_error(rc, out, err, name, line=None, contains=None):
    text = out + err
    assert rc == 1, f"exit {rc}: {text}"
    assert "Traceback" not in text and "internal error" not in text, text
    assert ESC not in text and "\x00" not in text, repr(text)
    assert name in text, text
    if line is not None:
        assert re.search(rf"{re.escape(name)}:{line}:\d+: ", text), text
    if contains is not None:
        assert contains in text, text


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.25
"""


# --- semantic validation (KUBERNETES.md §15) -------------------------------------------------

def test_container_without_image_required_value():
    """pkg/apis/core/validation validateContainerCommon: image Required value, at the container line."""
    p = write(POD.replace("    image: nginx:1.25\n", "    ports:\n    - containerPort: 80\n"), "noimage.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "noimage.yaml", line=7, contains="spec.containers[0].image: Required value")


def test_duplicate_container_name():
    """validateContainers: allNames.Has(ctr.Name) -> field.Duplicate."""
    p = write(POD + "  - name: web\n    image: redis\n", "dup.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "dup.yaml", line=9, contains='spec.containers[1].name: Duplicate value: "web"')


def test_pod_name_not_dns_subdomain():
    """ValidateObjectMeta with ValidatePodName = NameIsDNSSubdomain (RFC 1123 subdomain message)."""
    p = write(POD.replace("name: web\nspec", "name: Web_1\nspec"), "badname.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "badname.yaml", line=4,
                 contains='metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of')


def test_container_name_not_dns_label():
    p = write(POD.replace("  - name: web\n", "  - name: Web\n"), "ctrname.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "ctrname.yaml", line=7,
                 contains='spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of')


def test_restart_policy_unsupported_value():
    """validateRestartPolicy: field.NotSupported with the three values."""
    p = write(POD + "  restartPolicy: Sometimes\n", "rp.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "rp.yaml", line=9,
                 contains='spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"')


DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
"""


def test_deployment_template_restart_policy_never():
    """apps validation ValidatePodTemplateSpecForReplicaSet: only Always."""
    p = write(DEPLOY + "      restartPolicy: Never\n", "deprp.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "deprp.yaml", line=18,
                 contains='spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"')


def test_deployment_without_selector():
    p = write(DEPLOY.replace("  selector:\n    matchLabels:\n      app: web\n", ""), "nosel.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "nosel.yaml", contains="spec.selector: Required value")


def test_deployment_selector_does_not_match_template():
    """ValidateDeploymentSpec: `selector` does not match template `labels`."""
    p = write(DEPLOY.replace("      app: web\n  template", "      app: api\n  template"), "mismatch.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "mismatch.yaml", contains="spec.template.metadata.labels: Invalid value: ")
    assert "`selector` does not match template `labels`" in out + err


def test_deployment_max_surge_and_unavailable_zero():
    p = write(DEPLOY + "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n", "zero.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "zero.yaml", line=21,
                 contains="spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when")


def test_quantity_format_error():
    """apimachinery resource.ErrFormatWrong."""
    p = write(POD + "    resources:\n      requests:\n        memory: lots\n", "qty.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "qty.yaml", line=11,
                 contains="quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


def test_requests_greater_than_limits():
    """ValidateResourceRequirements: must be less than or equal to cpu limit."""
    p = write(POD + "    resources:\n      requests:\n        cpu: \"2\"\n      limits:\n        cpu: \"1\"\n",
              "reqlim.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "reqlim.yaml",
                 contains='spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit')


def test_apps_v1beta2_deployment_no_match():
    p = write(DEPLOY.replace("apps/v1", "apps/v1beta2"), "v1beta2.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "v1beta2.yaml", line=1,
                 contains='no matches for kind "Deployment" in version "apps/v1beta2"')


def test_unknown_field_strict_decoding():
    """apiserver strict field validation: unknown field "spec.containers[0].imagee"."""
    p = write(POD.replace("    image: nginx:1.25\n", "    imagee: nginx:1.25\n"), "unknown.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "unknown.yaml", line=8, contains='unknown field "spec.containers[0].imagee"')


def test_second_document_error_located_in_its_own_lines():
    text = POD + "---\n" + POD.replace("name: web\nspec", "name: web2\nspec").replace("    image: nginx:1.25\n", "")
    p = write(text, "multi.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "multi.yaml", line=16, contains="spec.containers[0].image: Required value")


def test_valid_docs_examples_pass():
    files = [str(DOCS / f) for f in ("exec-liveness.yaml", "nginx-deployment.yaml", "init-containers.yaml",
                                      "pod-with-node-affinity.yaml", "memory-request-limit-2.yaml",
                                      "pod-with-toleration.yaml", "tcp-liveness-readiness.yaml")]
    rc, out, err = validate(*files)
    assert rc == 0, out + err
    assert "Traceback" not in out + err


def test_valid_file_with_crlf_line_endings_passes():
    p = write((DEPLOY).replace("\n", "\r\n"), "crlf.yaml")
    rc, out, err = validate(p)
    assert rc == 0, out + err


def test_valid_file_with_anchors_and_merge_keys_passes():
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
spec:
  replicas: 2
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - &ctr
        name: web
        image: nginx:1.25
        resources: &res
          requests: {cpu: 100m}
      - <<: *ctr
        name: sidecar
        resources: *res
"""
    p = write(text.replace("\n", "\r\n"), "anchors.yaml")
    rc, out, err = validate(p)
    assert rc == 0, out + err


def test_invalid_crlf_file_reports_right_line():
    p = write(POD.replace("    image: nginx:1.25\n", "").replace("\n", "\r\n"), "crlfbad.yaml")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "crlfbad.yaml", line=7, contains="spec.containers[0].image: Required value")


# --- hostile / broken YAML ------------------------------------------------------------------

HOSTILE = {
    "tab-indent.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n",
    "unclosed-quote.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\nspec: {}\n',
    "bad-indent.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n   labels: {a: b}\n",
    "duplicate-key.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec:\n  containers: []\n",
    "python-tag.yaml": "apiVersion: v1\nkind: Pod\nmetadata: !!python/object/apply:os.system ['echo hi']\n",
    "undefined-alias.yaml": "apiVersion: v1\nkind: Pod\nmetadata: *nope\n",
    "scalar-doc.yaml": "just a string\n",
    "list-doc.yaml": "- a\n- b\n",
    "no-kind.yaml": "apiVersion: v1\nmetadata:\n  name: x\n",
    "no-apiversion.yaml": "kind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [{name: a, image: b}]\n",
    "wrong-type.yaml": DEPLOY.replace("replicas: 3", "replicas: three"),
    "fullwidth-colon.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName： node-1\n"
                            "  containers:\n  - name: web\n    image: nginx\n",
    "escape-codes.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"\\e[31mred\\e[0m\"\nspec:\n  containers:\n"
                         "  - name: web\n    image: nginx\n",
    "raw-escape.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\x1b[2J\nspec: {}\n",
    "nul.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: we\x00b\n",
    "only-comments.yaml": "# nothing here\n# at all\n",
    "empty.yaml": "",
    "unknown-kind.yaml": "apiVersion: v1\nkind: Bogus\nmetadata:\n  name: x\n",
    "flow-unclosed.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: web\n",
    "control-chars-key.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  \x07name: web\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_rejected_cleanly(name):
    p = write(HOSTILE[name], name)
    t = time.monotonic()
    rc, out, err = validate(p)
    assert time.monotonic() - t < 10
    _check_error(rc, out, err, name)
    assert re.search(rf"{re.escape(name)}:\d+:\d+: ", out + err), out + err


def test_invalid_utf8_rejected():
    p = write("x", "badutf8.yaml")
    with open(p, "wb") as f:
        f.write(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\xfe\xfa\n")
    rc, out, err = validate(p)
    _check_error(rc, out, err, "badutf8.yaml", line=4)


def test_binary_garbage_rejected():
    p = write("x", "garbage.yaml")
    with open(p, "wb") as f:
        f.write(bytes(range(256)) * 40)
    rc, out, err = validate(p)
    _check_error(rc, out, err, "garbage.yaml")


def test_billion_laughs_is_bounded():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  " + "\n  ".join(lines) + "\n"
    p = write(text, "laughs.yaml")
    t = time.monotonic()
    rc, out, err = validate(p)
    assert time.monotonic() - t < 10
    _check_error(rc, out, err, "laughs.yaml")


def test_deep_nesting_is_bounded():
    p = write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + "[" * 20000 + "]" * 20000 + "\n", "deep.yaml")
    t = time.monotonic()
    rc, out, err = validate(p)
    assert time.monotonic() - t < 10
    _check_error(rc, out, err, "deep.yaml", line=4)


def test_deep_block_mapping_nesting_is_bounded():
    body = "".join("  " * i + f"k{i}:\n" for i in range(1, 400))
    p = write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" + body + "  " * 400 + "v: 1\n",
              "deepmap.yaml")
    t = time.monotonic()
    rc, out, err = validate(p)
    assert time.monotonic() - t < 10
    _check_error(rc, out, err, "deepmap.yaml")


def test_huge_file_is_bounded():
    p = write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n"
              + "".join(f"  k{i}: {'x' * 100}\n" for i in range(70000)), "huge.yaml")
    t = time.monotonic()
    rc, out, err = validate(p)
    assert time.monotonic() - t < 15
    _check_error(rc, out, err, "huge.yaml")


def test_many_small_documents_fast_and_valid():
    docs = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  k: v\n" for i in range(2000))
    p = write(docs, "many.yaml")
    t = time.monotonic()
    rc, out, err = validate(p)
    assert time.monotonic() - t < 15
    assert rc == 0, err[:500]


def test_missing_file():
    rc, out, err = validate("/nonexistent/dir/pod.yaml")
    assert rc == 1 and "Traceback" not in out + err
    assert "/nonexistent/dir/pod.yaml" in out + err


def test_directory_instead_of_file(tmp_path):
    rc, out, err = validate(str(tmp_path))
    assert rc in (1, 2) and "Traceback" not in out + err and "internal error" not in out + err


def test_one_bad_file_among_good_ones_named():
    good = write(POD, "good.yaml")
    bad = write(POD.replace("    image: nginx:1.25\n", ""), "bad-among.yaml")
    rc, out, err = validate(good, bad)
    _check_error(rc, out, err, "bad-among.yaml", line=7)
    assert "good.yaml:" not in err


def test_stdin_dash():
    from .fid import cli
    rc, out, err = cli("validate", "-", stdin=POD.replace("    image: nginx:1.25\n", ""))
    assert rc == 1 and "Traceback" not in out + err
    assert "spec.containers[0].image: Required value" in out + err


# --- more core/apps validation texts ------------------------------------------------------------

MORE = {
    "empty-selector.yaml": (DEPLOY.replace("    matchLabels:\n      app: web\n", "    {}\n").replace("  selector:\n    {}\n", "  selector: {}\n"),
                            "empty selector is invalid for deployment"),
    "negative-replicas.yaml": (DEPLOY.replace("replicas: 3", "replicas: -1"),
                               "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
    "no-name.yaml": (POD.replace("  name: web\nspec", "  labels: {a: b}\nspec"),
                     "metadata.name: Required value: name or generateName is required"),
    "bad-port.yaml": (POD + "    ports:\n    - containerPort: 70000\n",
                      "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"),
    "pull-policy.yaml": (POD + "    imagePullPolicy: Sometimes\n",
                         'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'),
    "probe-no-handler.yaml": (POD + "    livenessProbe:\n      periodSeconds: 5\n",
                              "spec.containers[0].livenessProbe: Required value: must specify a handler type"),
    "bad-label.yaml": (POD.replace("  name: web\nspec", "  name: web\n  labels:\n    app: \"bad value!\"\nspec"),
                       'metadata.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters'),
    "secret-base64.yaml": ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: not-base64!!\n",
                           "illegal base64 data at input byte"),
}


@pytest.mark.parametrize("name", sorted(MORE))
def test_more_validation_messages(name):
    text, message = MORE[name]
    rc, out, err = validate(write(text, name))
    _check_error(rc, out, err, name, contains=message)


# --- JSON decoding errors as the apiserver reports them (json.Unmarshal into the Go structs) -------

TYPE_ERRORS = {
    "envnum.yaml": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: envnum\nspec:\n  containers:\n  - name: web\n"
                    "    image: nginx\n    env:\n    - name: PORT\n      value: 80\n", 11,
                    "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string"),
    "yes.yaml": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: rp\nspec:\n  restartPolicy: yes\n  containers:\n"
                 "  - name: web\n    image: nginx\n", 6,
                 "json: cannot unmarshal bool into Go struct field PodSpec.spec.restartPolicy of type string"),
    "bigint.yaml": (DEPLOY.replace("replicas: 3", "replicas: 99999999999"), 6,
                    "json: cannot unmarshal number 99999999999 into Go struct field DeploymentSpec.spec.replicas of type int32"),
    "labnum.yaml": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: lab\n  labels:\n    version: 1.0\nspec:\n  containers:\n"
                    "  - name: web\n    image: nginx\n", 6,
                    "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"),
    "portstr.yaml": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: port\nspec:\n  containers:\n  - name: web\n"
                     "    image: nginx\n    ports:\n    - containerPort: \"80\"\n", 10,
                     "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"),
}


@pytest.mark.parametrize("name", sorted(TYPE_ERRORS))
def test_type_errors_like_apiserver(name):
    text, line, message = TYPE_ERRORS[name]
    rc, out, err = validate(write(text, name))
    _check_error(rc, out, err, name, line=line, contains=message)


def test_valid_bom_json_and_empty_documents():
    bom = write("x", "bom.yaml")
    with open(bom, "wb") as f:
        f.write(b"\xef\xbb\xbf" + POD.encode())
    js = write('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, '
               '"spec": {"containers": [{"name": "web", "image": "nginx"}]}}\n', "pod.json")
    empties = write("---\n---\n" + POD + "---\n\n---\n", "empties.yaml")
    rc, out, err = validate(bom, js, empties)
    assert rc == 0, out + err
    assert out.count(" valid") == 3


@pytest.mark.parametrize("command", ["simulate", "schedule"])
@pytest.mark.parametrize("name", ["tab-indent.yaml", "duplicate-key.yaml", "python-tag.yaml", "raw-escape.yaml",
                                  "nul.yaml", "empty.yaml", "no-kind.yaml", "wrong-type.yaml"])
def test_hostile_inputs_rejected_by_simulate_and_schedule(command, name):
    from .fid import cli
    p = write(HOSTILE[name], name)
    rc, out, err = cli(command, p, "--format", "json")
    _check_error(rc, out, err, name)


def test_empty_selector_value_formatting():
    """field/errors.go ErrorBody: pointer BadValue → Elem(); metav1.LabelSelector (value) is not a
    fmt.Stringer (generated String() is on *LabelSelector) → %#v. Seen in real clusters:
    `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil),
    MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment`."""
    text = MORE["empty-selector.yaml"][0]
    rc, out, err = validate(write(text, "empty-selector-fmt.yaml"))
    _check_error(rc, out, err, "empty-selector-fmt.yaml", contains=(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"))


def test_missing_selector_reports_both_errors():
    """ValidateDeploymentSpec: Required selector, and LabelSelectorAsSelector(nil) = labels.Nothing()
    (not Empty, matches nothing) → the template-labels mismatch is reported too."""
    rc, out, err = validate(write(DEPLOY.replace("  selector:\n    matchLabels:\n      app: web\n", ""), "nosel2.yaml"))
    _check_error(rc, out, err, "nosel2.yaml", contains="spec.selector: Required value")
    assert "`selector` does not match template `labels`" in out + err


EVEN_MORE = {
    "no-containers.yaml": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n", 6,
                           "spec.containers: Required value"),
    "long-ctr-name.yaml": (POD.replace("  - name: web\n", "  - name: " + "b" * 64 + "\n"), 7,
                           'spec.containers[0].name: Invalid value: "' + "b" * 64 + '": must be no more than 63 characters'),
    "mount-not-found.yaml": (POD + "    volumeMounts:\n    - {name: data, mountPath: /data}\n", 10,
                             'spec.containers[0].volumeMounts[0].name: Not found: "data"'),
    "bad-label-key.yaml": (POD.replace("  name: web\nspec", "  name: web\n  labels: {\"bad key!\": v}\nspec"), 5,
                           'metadata.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters'),
    "bad-namespace.yaml": (POD.replace("  name: web\nspec", "  name: web\n  namespace: Bad_NS\nspec"), 5,
                           'metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of'),
    "template-no-containers.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n"
                                    "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
                                    "    spec: {}\n", 9, "spec.template.spec.containers: Required value"),
    "qty-suffix.yaml": (POD + "    resources:\n      limits: {memory: 512Gu}\n", 10,
                        "unable to parse quantity's suffix"),
    "qty-gb.yaml": (POD + "    resources:\n      limits: {memory: 1Gb}\n", 10,
                    "quantities must match the regular expression"),
}


@pytest.mark.parametrize("name", sorted(EVEN_MORE))
def test_even_more_validation_messages(name):
    text, line, message = EVEN_MORE[name]
    rc, out, err = validate(write(text, name))
    _check_error(rc, out, err, name, line=line, contains=message)


# --- valid built-in kinds outside the simulated set must still validate ---------------------------

OTHER_KINDS = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: mysql-pv-claim
  labels:
    app: wordpress
spec:
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 20Gi
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels:
    type: local
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: "/mnt/data"
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: minimal-ingress
spec:
  ingressClassName: nginx-example
  rules:
  - http:
      paths:
      - path: /testpath
        pathType: Prefix
        backend:
          service:
            name: test
            port:
              number: 80
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 50
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: pod-reader
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
"""


def test_valid_builtin_kinds_outside_simulation_validate():
    """Official docs manifests (wordpress mysql PVC, task-pv-volume, Ingress minimal-ingress, HPA
    php-apache, NetworkPolicy default-deny, RBAC pod-reader) are accepted by a real API server."""
    rc, out, err = validate(write(OTHER_KINDS.replace("\n", "\r\n"), "other-kinds.yaml"))
    assert rc == 0, out + err


def test_unknown_custom_kind_is_rejected():
    rc, out, err = validate(write("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n", "crd-obj.yaml"))
    _check_error(rc, out, err, "crd-obj.yaml", line=2, contains='no matches for kind "Widget" in version "example.com/v1"')


@pytest.mark.parametrize("crlf", [False, True])
def test_valid_yaml_features(crlf):
    """%YAML directive, quoted keys, flow maps, anchors on maps/scalars/list items, `<<` merge (single and
    list), !!int/!!str tags, ~ null, block scalars with tabs, `...` end marker, kind: List."""
    from .fid import MANIFESTS
    text = (MANIFESTS / "fancy-valid.yaml").read_text()
    if crlf:
        text = text.replace("\n", "\r\n")
    rc, out, err = validate(write(text, f"fancy-{crlf}.yaml"))
    assert rc == 0, out + err
    assert "deployment/fancy valid" in out and "configmap/cm valid" in out


def test_positions_in_list_items_and_later_documents():
    from .fid import MANIFESTS
    rc, out, err = validate(str(MANIFESTS / "positions.yaml"))
    _check_error(rc, out, err, "positions.yaml", line=20,
                 contains='spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes"')
    assert re.search(r'positions\.yaml:32:\d+: spec\.containers\[0\]\.ports\[0\]\.protocol: Unsupported value: "TCPX": '
                     r'supported values: "SCTP", "TCP", "UDP"', out + err)


@pytest.mark.parametrize("case", ["merge-bomb", "separators", "long-key", "nested-block-seq"])
def test_more_hostile_inputs_bounded(case):
    from .fid import MANIFESTS
    if case == "merge-bomb":
        text = (MANIFESTS / "merge-bomb.yaml").read_text()
    elif case == "separators":
        text = "---\n" * 1000000
    elif case == "long-key":
        text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  " + "k" * 3000000 + ": v\n"
    else:
        text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  x: " + "- " * 5000 + "a\n"
    name = f"{case}.yaml"
    t = time.monotonic()
    rc, out, err = validate(write(text, name))
    assert time.monotonic() - t < 10
    _check_error(rc, out, err, name)


@pytest.mark.parametrize("name,text", [
    ("w-tab.yaml", "apiVersion: kubetrainer/v1\nkind: World\nspec:\n\tnodes: []\n"),
    ("w-badqty.yaml", "apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: w}\nspec:\n  nodes:\n"
                      "    - name: n1\n      capacity: {cpu: lots}\n"),
    ("w-nodes-str.yaml", "apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: w}\nspec:\n  nodes: many\n"),
    ("w-empty.yaml", ""),
    ("w-huge-group.yaml", "apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: w}\nspec:\n  nodeGroups:\n"
                          "    - {count: 100000000, namePrefix: n-, template: {capacity: {cpu: \"1\"}}}\n"),
])
def test_hostile_world_files(name, text):
    """World files are user input too: located error, exit 1, no traceback, bounded time."""
    from .fid import cli, path_of
    w = write(text, name)
    t = time.monotonic()
    rc, out, err = cli("simulate", path_of("docs/exec-liveness"), "--world", w, "--until", "10", "--format", "json")
    assert time.monotonic() - t < 15
    _check_error(rc, out, err, name)


def test_world_name_with_escape_never_printed_raw():
    from .fid import cli, path_of
    w = write("apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: \"\\e[31mx\"}\nspec: {}\n", "w-esc.yaml")
    for fmt in ("json", "text"):
        rc, out, err = cli("simulate", path_of("docs/exec-liveness"), "--world", w, "--until", "10", "--format", fmt)
        assert rc in (0, 1) and ESC not in out + err and "Traceback" not in out + err


def test_container_output_escapes_not_printed_raw():
    """A container that prints terminal escape codes: `kubectl logs` in the text output shows them escaped."""
    from .fid import cli
    m = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: esc\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n"
         "    command: [\"sh\", \"-c\", \"printf '\\\\033[2Jhello\\\\n'; sleep 3600\"]\n")
    rc, out, err = cli("simulate", write(m, "esc-logs.yaml"), "--until", "20", "--at", "10", "kubectl logs esc")
    assert rc == 0 and ESC not in out + err and "hello" in out

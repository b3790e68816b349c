"""Image references and pulls as containerd does them (kubetrainer/sim/world.py Registry)."""

from __future__ import annotations

import pytest

from kubetrainer.sim.world import load_world, parse_reference

from .helpers import WORLD

REG = WORLD.registry


@pytest.mark.parametrize("ref,norm", [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.16.1", "docker.io/library/nginx:1.16.1"),
    ("library/nginx", "docker.io/library/nginx:latest"),
    ("docker.io/nginx", "docker.io/library/nginx:latest"),
    ("index.docker.io/library/nginx:1.25", "docker.io/library/nginx:1.25"),
    ("polinux/stress", "docker.io/polinux/stress:latest"),
    ("registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"),
    ("localhost:5000/app:v1", "localhost:5000/app:v1"),
    ("busybox@sha256:" + "a" * 64, "docker.io/library/busybox@sha256:" + "a" * 64),
])
def test_normalize(ref, norm):
    assert REG.normalize(ref) == norm


def test_missing_tag_gives_containerd_not_found():
    lk = REG.resolve("nginx:1.161")
    assert not lk.found
    # kubelet event: Failed to pull image "nginx:1.161": <this>
    assert lk.error == ('rpc error: code = NotFound desc = failed to pull and unpack image '
                        '"docker.io/library/nginx:1.161": failed to resolve reference '
                        '"docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found')
    res = REG.pull("nginx:1.161")
    assert not res.ok and res.error == lk.error


def test_unknown_docker_hub_repository_is_access_denied():
    res = REG.pull("ngnix")
    assert res.error == ('rpc error: code = Unknown desc = failed to pull and unpack image '
                         '"docker.io/library/ngnix:latest": failed to resolve reference '
                         '"docker.io/library/ngnix:latest": pull access denied, repository does not exist '
                         'or may require authorization: server message: insufficient_scope: authorization failed')


def test_private_registry_needs_credentials():
    res = REG.pull("registry.example.com/team/app:1.0")
    assert not res.ok
    assert res.error == ('rpc error: code = Unknown desc = failed to pull and unpack image '
                         '"registry.example.com/team/app:1.0": failed to resolve reference '
                         '"registry.example.com/team/app:1.0": pulling from host registry.example.com failed '
                         'with status code [manifests 1.0]: 401 Unauthorized')
    for key in ("registry.example.com", "https://registry.example.com", "https://registry.example.com/v2/"):
        ok = REG.pull("registry.example.com/team/app:1.0", auths={key: {"auth": "dTpw"}})
        assert ok.ok and ok.seconds == 2.0 and ok.size_bytes == 20 * 1024 * 1024
    assert not REG.pull("registry.example.com/team/app:1.0", auths={"https://index.docker.io/v1/": {}}).ok


def test_docker_hub_credential_keys():
    m = REG.credential_server_matches
    assert m("docker.io", "https://index.docker.io/v1/") and m("docker.io", "docker.io")
    assert not m("docker.io", "quay.io")


def test_unknown_server_is_dns_failure():
    res = REG.pull("myregistry.local/app:1")
    assert res.error.endswith('failed to do request: Head "https://myregistry.local/v2/app/manifests/1": '
                              "dial tcp: lookup myregistry.local on 10.0.0.2:53: no such host")


def test_invalid_reference():
    lk = REG.resolve("Nginx")
    assert lk.invalid == "invalid reference format: repository name must be lowercase"
    assert not REG.pull("Nginx").ok


def test_found_image_facts():
    lk = REG.resolve("nginx:1.14.2")
    assert lk.found and lk.pull_seconds == 2.0 and lk.size_bytes > 20 * 1024 * 1024
    assert lk.image_id.startswith("docker.io/library/nginx@sha256:") and len(lk.image_id.split(":")[-1]) == 64
    assert lk.image_id == REG.resolve("docker.io/library/nginx:1.14.2").image_id  # deterministic
    assert REG.resolve("busybox:any-tag-at-all").found


def test_digest_of_listed_tag_resolves():
    e = REG.resolve("nginx:1.16.1").entry
    assert REG.resolve("nginx@" + e.digest("1.16.1")).found
    assert not REG.resolve("nginx@sha256:" + "0" * 64).found


def test_parse_reference_parts():
    r = parse_reference("registry.k8s.io/e2e-test-images/agnhost:2.40")
    assert (r.server, r.path, r.tag, r.digest) == ("registry.k8s.io", "e2e-test-images/agnhost", "2.40", None)

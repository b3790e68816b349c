"""Every image the seed tutorial and the Kubernetes docs' examples use is in the default world,
and its default process starts (kubernetes/website content/en/examples/...)."""

from __future__ import annotations

import pytest

from kubetrainer.sim.runtime import ContainerFS, start_process

from .helpers import WORLD

DOCS_IMAGES = [
    # pods/probe/*.yaml
    "registry.k8s.io/busybox:1.27.2", "registry.k8s.io/e2e-test-images/agnhost:2.40", "registry.k8s.io/goproxy:0.1",
    "registry.k8s.io/etcd:3.5.1-0", "registry.k8s.io/liveness", "k8s.gcr.io/liveness", "k8s.gcr.io/goproxy:0.1",
    # pods/*.yaml, scheduling, init containers, inject, qos, security, storage
    "nginx", "busybox:1.28", "busybox", "debian", "alpine:latest", "ubuntu", "redis", "redis:5", "httpd",
    "registry.k8s.io/pause:3.8", "k8s.gcr.io/pause:2.0", "registry.k8s.io/pause:3.9",
    "gcr.io/google-samples/node-hello:1.0", "registry.k8s.io/busybox", "k8s.gcr.io/busybox",
    # pods/resource/*.yaml, admin/resource/*.yaml
    "polinux/stress", "vish/stress",
    # controllers/*.yaml, application/*.yaml
    "nginx:1.14.2", "nginx:1.16.1", "nginx:1.7.9", "nginx:1.15.4", "nginx:1.17", "nginx:1.19", "nginx:1.25",
    "nginx:latest", "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.7", "perl:5.34.0",
    "docker.io/library/bash:5", "k8s.gcr.io/fluentd-elasticsearch:1.20", "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
    "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5", "gcr.io/google_samples/gb-frontend:v3",
    "registry.k8s.io/hpa-example", "mysql:5.6", "mysql:8.0", "mongo", "wordpress:6.2.1-apache",
    "gcr.io/google-samples/hello-app:1.0", "gcr.io/google-samples/hello-app:2.0", "fluent/fluent-bit:1.9",
    "us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2",
    # tutorials: Kubernetes Basics, DNS debugging, Ingress
    "gcr.io/google-samples/kubernetes-bootcamp:v1", "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3",
    "hashicorp/http-echo", "k8s.gcr.io/echoserver:1.4",
    # the seed tutorial (pod-tutorial.zh.md) and common tutorial images
    "k8sre/nginx:1.16.0", "k8sre/demo:v1.1", "ikubernetes/myapp:v1",
    # the private-registry lesson
    "registry.example.com/team/app:1.0",
]


@pytest.mark.parametrize("image", DOCS_IMAGES)
def test_docs_image_is_in_the_default_registry_and_starts(image):
    lk = WORLD.registry.resolve(image)
    assert lk.found, lk.error
    proc = start_process(lk, None, None, {}, ContainerFS(hostname="p"), 0.0)
    proc.advance(30.0)
    # the default process either keeps running or ends with a status, never a crash of the simulator
    assert proc.exited or proc.next_wakeup() is None or proc.next_wakeup() > 30.0


def test_failure_tags_are_missing():
    assert not WORLD.registry.resolve("nginx:1.161").found


def test_kubernetes_bootcamp_v10_is_missing_and_v2_answers():
    assert not WORLD.registry.resolve("gcr.io/google-samples/kubernetes-bootcamp:v10").found
    p = start_process(WORLD.registry.resolve("gcr.io/google-samples/kubernetes-bootcamp:v2"), None, None,
                      {"HOSTNAME": "kubernetes-bootcamp-abc"}, ContainerFS(), 0.0)
    st, body = p.http_body(8080, "/", 1.0)
    assert st == 200 and body == "Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-abc | v=2\n"
    p.signal("TERM", 2.0)
    assert not p.exited  # node as PID 1 has no SIGTERM handler


def test_http_echo_text():
    p = start_process(WORLD.registry.resolve("hashicorp/http-echo"), None, ["-text=apple"], {}, ContainerFS(), 0.0)
    assert p.http_body(5678, "/", 1.0) == (200, "apple\n")

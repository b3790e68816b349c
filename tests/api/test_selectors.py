"""Label selectors and node selector requirements (apimachinery labels, nodeaffinity)."""

from __future__ import annotations

from kubetrainer.api.selectors import (label_selector_is_empty, label_selector_matches, node_selector_matches,
                                       node_selector_term_matches, requirement_matches, selector_string)


def test_match_labels_and_expressions():
    sel = {"matchLabels": {"app": "web"},
           "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]},
                                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                                {"key": "team", "operator": "Exists"},
                                {"key": "legacy", "operator": "DoesNotExist"}]}
    assert label_selector_matches(sel, {"app": "web", "tier": "a", "team": "x"})
    assert label_selector_matches(sel, {"app": "web", "tier": "b", "team": "x", "env": "dev"})
    assert not label_selector_matches(sel, {"app": "web", "tier": "c", "team": "x"})
    assert not label_selector_matches(sel, {"app": "web", "tier": "a", "team": "x", "env": "prod"})
    assert not label_selector_matches(sel, {"app": "web", "tier": "a"})
    assert not label_selector_matches(sel, {"app": "web", "tier": "a", "team": "x", "legacy": "1"})


def test_nil_matches_nothing_empty_matches_everything():
    assert not label_selector_matches(None, {"a": "b"})
    assert label_selector_matches({}, {"a": "b"})
    assert label_selector_is_empty({}) and not label_selector_is_empty({"matchLabels": {"a": "b"}})


def test_gt_lt():
    assert requirement_matches({"key": "cores", "operator": "Gt", "values": ["4"]}, {"cores": "8"})
    assert not requirement_matches({"key": "cores", "operator": "Gt", "values": ["4"]}, {"cores": "4"})
    assert requirement_matches({"key": "cores", "operator": "Lt", "values": ["4"]}, {"cores": "2"})
    assert not requirement_matches({"key": "cores", "operator": "Lt", "values": ["4"]}, {"cores": "x"})
    assert not requirement_matches({"key": "cores", "operator": "Gt", "values": ["4"]}, {})


def test_node_selector_terms_ored_requirements_anded():
    ns = {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]},
                              {"key": "disk", "operator": "In", "values": ["ssd"]}]},
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-3"]}]}]}
    assert node_selector_matches(ns, {"zone": "a", "disk": "ssd"}, {"metadata.name": "node-1"})
    assert not node_selector_matches(ns, {"zone": "a"}, {"metadata.name": "node-1"})
    assert node_selector_matches(ns, {}, {"metadata.name": "node-3"})
    assert not node_selector_term_matches({}, {"zone": "a"})
    assert node_selector_matches(None, {})


def test_selector_string():
    assert selector_string({"matchLabels": {"app": "web"},
                            "matchExpressions": [{"key": "t", "operator": "In", "values": ["b", "a"]}]}) == \
        "app=web,t in (a,b)"

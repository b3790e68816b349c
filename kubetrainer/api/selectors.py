"""Label selectors and node selector requirements with a `matches` function.

* `label_selector_matches(selector, labels)`: metav1.LabelSelector (matchLabels and
  matchExpressions with In / NotIn / Exists / DoesNotExist), as
  `metav1.LabelSelectorAsSelector` + `labels.Selector.Matches` (apimachinery/pkg/labels).
  A nil selector matches nothing; an empty selector `{}` matches everything.
* `node_selector_term_matches(term, labels, fields=None)`: one v1.NodeSelectorTerm
  (matchExpressions with In / NotIn / Exists / DoesNotExist / Gt / Lt, matchFields on
  metadata.name), as `component-helpers/scheduling/corev1/nodeaffinity`. An empty term
  matches nothing.
* `node_selector_matches(node_selector, labels, fields=None)`: the terms are ORed.
* `requirement_matches(req, labels)`: one requirement dict {key, operator, values}.
"""

from __future__ import annotations

from typing import Mapping


def requirement_matches(req: Mapping, labels: Mapping[str, str]) -> bool:
    key = req.get("key")
    op = req.get("operator")
    values = [str(v) for v in (req.get("values") or [])]
    has = key in labels
    if op == "In":
        return has and labels[key] in values
    if op == "NotIn":
        return not has or labels[key] not in values
    if op == "Exists":
        return has
    if op == "DoesNotExist":
        return not has
    if op in ("Gt", "Lt"):
        # labels.Requirement.Matches: both sides parsed as int64; a non-integer never matches
        if not has or len(values) != 1:
            return False
        try:
            lv, rv = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return lv > rv if op == "Gt" else lv < rv
    return False


def label_selector_matches(selector: Mapping | None, labels: Mapping[str, str] | None) -> bool:
    if selector is None:
        return False
    labels = labels or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for req in selector.get("matchExpressions") or []:
        if not requirement_matches(req, labels):
            return False
    return True


def label_selector_is_empty(selector: Mapping | None) -> bool:
    return selector is not None and not selector.get("matchLabels") and not selector.get("matchExpressions")


def node_selector_term_matches(term: Mapping, labels: Mapping[str, str] | None,
                               fields: Mapping[str, str] | None = None) -> bool:
    exprs = term.get("matchExpressions") or []
    mfields = term.get("matchFields") or []
    if not exprs and not mfields:
        return False  # nodeaffinity: an empty term matches no objects
    labels = labels or {}
    for req in exprs:
        if not requirement_matches(req, labels):
            return False
    for req in mfields:
        if not requirement_matches(req, fields or {}):
            return False
    return True


def node_selector_matches(node_selector: Mapping | None, labels: Mapping[str, str] | None,
                          fields: Mapping[str, str] | None = None) -> bool:
    """v1.NodeSelector: nodeSelectorTerms ORed. None matches everything (no constraint)."""
    if node_selector is None:
        return True
    return any(node_selector_term_matches(t, labels, fields) for t in node_selector.get("nodeSelectorTerms") or [])


def selector_string(selector: Mapping | None) -> str:
    """The selector as kubectl prints it (`app=web,tier in (a,b)`), for messages and the TUI."""
    if selector is None:
        return "<none>"
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for r in selector.get("matchExpressions") or []:
        op, key, vals = r.get("operator"), r.get("key"), ",".join(sorted(str(v) for v in r.get("values") or []))
        if op == "In":
            parts.append(f"{key} in ({vals})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({vals})")
        elif op == "Exists":
            parts.append(f"{key}")
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
        elif op in ("Gt", "Lt"):
            parts.append(f"{key} {'>' if op == 'Gt' else '<'} {vals}")
    return ",".join(parts) if parts else "<none>"

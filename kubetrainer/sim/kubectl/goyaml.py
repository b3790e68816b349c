"""YAML as `kubectl get -o yaml` writes it (sigs.k8s.io/yaml over go-yaml v2), with PyYAML:

* keys sorted (the JSON the object comes from is marshalled with sorted keys);
* block sequences not indented below their key (`conditions:` then `- type: Ready`);
* a string that would read back as something else (`"True"`, `"2024-01-01T00:00:00Z"`, `"8080"`)
  in double quotes, not single ones; strings with line breaks as literal blocks (`|`);
* no line folding, UTF-8 as is.
"""

from __future__ import annotations

from typing import Any

import yaml


class _GoDumper(yaml.SafeDumper):
    # (PyYAML already writes a mapping's block sequences without indenting them, as go-yaml does)
    def choose_scalar_style(self) -> str | None:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_GoDumper.add_representer(str, _str)


def dump(doc: Any) -> str:
    return yaml.dump(doc, Dumper=_GoDumper, sort_keys=True, default_flow_style=False, allow_unicode=True,
                     width=1 << 30)

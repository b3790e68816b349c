from __future__ import annotations

from pathlib import Path



FIXTURES = Path(__file__).parent / "fixtures"




def pod(extra_container: str = "", extra_spec: str = "", name: str = "web") -> str:
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: web
    image: nginx:1.16.0
{extra_container}{extra_spec}"""

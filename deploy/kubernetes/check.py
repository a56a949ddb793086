"""What Ward's manifests must say beyond their schema (kubernetes-validate checks that):
two or more replicas, PostgreSQL, liveness and readiness probes on /healthz and /readyz,
secrets only by reference, requests and limits on every container, non-root, and a
migration Job. Run: python3 check.py [DIR]; exits 1 naming each failure."""

import pathlib
import sys

import yaml

here = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
kustomization = yaml.safe_load((here / "kustomization.yaml").read_text())
docs = []
for name in kustomization["resources"]:
    docs += [d for d in yaml.safe_load_all((here / name).read_text()) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
failures = []


def need(ok, what):
    if not ok:
        failures.append(what)


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


config = {k: v for cm in by_kind.get("ConfigMap", []) for k, v in cm.get("data", {}).items()}
for key in config:
    need(
        not any(s in key for s in ("SECRET", "_PASSWORD", "API_KEY", "DATABASE_URL"))
        or key == "WARD_PASSWORD_SIGN_IN",
        f"ConfigMap holds {key}: secrets go in the Secret, by reference",
    )
need("Secret" not in by_kind, "a Secret is applied with the manifests: reference it, never ship it")

deployments = by_kind.get("Deployment", [])
need(len(deployments) == 1, "exactly one Deployment (ward)")
jobs = [j for j in by_kind.get("Job", []) if pod_spec(j)["containers"][0].get("args") == ["migrate"]]
need(len(jobs) == 1, "a Job that runs `server migrate`")
need(by_kind.get("Service"), "a Service")
for dep in deployments:
    need(dep["spec"].get("replicas", 1) >= 2, "the Deployment runs two or more replicas")
    c = pod_spec(dep)["containers"][0]
    need(c["livenessProbe"]["httpGet"]["path"] == "/healthz", "liveness probe on /healthz")
    need(c["readinessProbe"]["httpGet"]["path"] == "/readyz", "readiness probe on /readyz")
for obj in deployments + jobs:
    name = f'{obj["kind"]}/{obj["metadata"]["name"]}'
    spec = pod_spec(obj)
    need(spec["securityContext"].get("runAsNonRoot") is True, f"{name} runs as non-root")
    for c in spec["containers"]:
        r = c.get("resources", {})
        need(r.get("requests", {}).keys() >= {"cpu", "memory"}, f"{name}: cpu and memory requests")
        need(r.get("limits", {}).keys() >= {"cpu", "memory"}, f"{name}: cpu and memory limits")
        need(c["securityContext"].get("allowPrivilegeEscalation") is False, f"{name}: no privilege escalation")
        env = {e["name"]: e for e in c.get("env", [])}
        need("DATABASE_URL" in env and "secretKeyRef" in env["DATABASE_URL"].get("valueFrom", {}),
             f"{name}: DATABASE_URL from the Secret")
        for e in env.values():
            if any(s in e["name"] for s in ("SECRET", "KEY", "_PASSWORD", "DATABASE_URL", "LLM_BASE_URL")):
                need("value" not in e, f"{name}: {e['name']} is written in the manifest; reference the Secret")
example = yaml.safe_load((here / "secret.example.yaml").read_text())
need(example["stringData"]["database-url"].startswith("postgres://"), "the database is PostgreSQL")

for f in failures:
    print(f"FAIL {f}")
print(f"{len(docs)} manifests: {'ok' if not failures else f'{len(failures)} failures'}")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""Checks deploy/kubernetes against Kubernetes' schemas (kubernetes-validate, offline, strict) and against what the
README and the Dockerfile document: every environment variable is a documented setting, the probes use the
documented health paths, the container port is HTTP_PORT and the Dockerfile's EXPOSE, the key comes from a
mounted Secret file, the preStop sleep matches SHUTDOWN_DELAY_SECONDS, and the termination grace outlasts the
whole stop sequence. Prints one line per check; exits 1 on the first failure.

Usage: check_manifests.py REPOSITORY_ROOT
"""

import pathlib
import re
import sys

import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.31.0"


def fail(message):
    print(f"FAIL {message}")
    sys.exit(1)


def ok(message):
    print(f"ok   {message}")


def main(root):
    manifests = sorted((root / "deploy" / "kubernetes").glob("*.yaml"))
    readme = (root / "README.md").read_text()
    documented_env = set(re.findall(r"^\|[^|]*\| `([A-Z0-9_]+)`", readme, re.MULTILINE))
    documented_env |= {name for cell in re.findall(r"^\|[^|]*\| (`[A-Z0-9_]+`(?:, `[A-Z0-9_]+`)+) \|", readme, re.MULTILINE)
                       for name in re.findall(r"`([A-Z0-9_]+)`", cell)}
    documented_paths = {path for cell in re.findall(r"^\| (`GET`[^|]*)\|", readme, re.MULTILINE)
                        for path in re.findall(r"(/[a-z-]+)`", cell)}

    documents = {}
    for path in manifests:
        for document in yaml.safe_load_all(path.read_text()):
            try:
                kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
            except kubernetes_validate.ValidationError as error:
                fail(f"{path.name}: {document['kind']} does not validate: {error.message} at {list(error.path)}")
            documents[document["kind"]] = document
        ok(f"{path.name} validates against Kubernetes {KUBERNETES_VERSION} (strict)")
    for kind in ["Deployment", "Service", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"]:
        if kind not in documents:
            fail(f"no {kind}")

    pod = documents["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = {entry["name"]: entry.get("value") for entry in container["env"]}
    undocumented = sorted(set(env) - documented_env)
    if undocumented:
        fail(f"environment variables the README does not document: {undocumented}")
    ok(f"all {len(env)} environment variables are documented settings")

    for probe in ["startupProbe", "livenessProbe", "readinessProbe"]:
        path = container[probe]["httpGet"]["path"]
        if path not in documented_paths:
            fail(f"{probe} uses {path}, not a documented endpoint ({sorted(documented_paths)})")
    if container["readinessProbe"]["httpGet"]["path"] != "/readyz" or container["livenessProbe"]["httpGet"]["path"] != "/healthz":
        fail("readiness must be /readyz and liveness /healthz")
    ok("probes: readiness /readyz, liveness and startup /healthz")

    http_port = int(env["HTTP_PORT"])
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    exposed = re.search(r"^EXPOSE (\d+)", (root / "Dockerfile").read_text(), re.MULTILINE)
    if ports["http"] != http_port or not exposed or int(exposed.group(1)) != http_port:
        fail(f"container port {ports['http']}, HTTP_PORT {http_port} and the Dockerfile's EXPOSE disagree")
    ok(f"container port, HTTP_PORT and EXPOSE agree on {http_port}")

    key_file = pathlib.PurePosixPath(env["CLIENTLOOP_API_KEY_FILE"])
    secret_volumes = {volume["name"] for volume in pod["volumes"] if "secret" in volume}
    if not any(mount["name"] in secret_volumes and key_file.parent == pathlib.PurePosixPath(mount["mountPath"])
               for mount in container["volumeMounts"]):
        fail("CLIENTLOOP_API_KEY_FILE is not in a mounted Secret")
    if "CLIENTLOOP_API_KEY" in env:
        fail("the key must come from the file, not an environment value")
    ok(f"the API key is read from the mounted Secret file {key_file}")

    pre_stop = container["lifecycle"]["preStop"]["exec"]["command"]
    delay, grace = int(env["SHUTDOWN_DELAY_SECONDS"]), int(env["SHUTDOWN_GRACE_SECONDS"])
    if pre_stop[:1] != ["/bin/sleep"] or int(pre_stop[1]) != delay:
        fail(f"preStop {pre_stop} does not sleep SHUTDOWN_DELAY_SECONDS ({delay})")
    termination = pod["terminationGracePeriodSeconds"]
    if termination <= int(pre_stop[1]) + delay + grace:
        fail(f"terminationGracePeriodSeconds {termination} does not outlast preStop + delay + grace")
    ok(f"stop: preStop {pre_stop[1]} s + delay {delay} s + grace {grace} s < terminationGracePeriodSeconds {termination} s")

    security = container["securityContext"]
    if not (pod["securityContext"].get("runAsNonRoot") and security.get("readOnlyRootFilesystem")
            and security.get("allowPrivilegeEscalation") is False and security["capabilities"]["drop"] == ["ALL"]):
        fail("the container must run as non-root, read-only, without privilege escalation or capabilities")
    ok("non-root, read-only root filesystem, no privilege escalation, all capabilities dropped")

    egress_ports = sorted({port["port"] for rule in documents["NetworkPolicy"]["spec"]["egress"] for port in rule["ports"]})
    if egress_ports != [53, 443]:
        fail(f"egress allows ports {egress_ports}, not only DNS and 443")
    ok("egress: DNS and 443 only")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))

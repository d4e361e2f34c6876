#!/usr/bin/env bash
# CI checks of the deployment files (issue: deployment), all offline:
#  1. docker-compose.yml is valid (Debian's docker-compose, installed when missing);
#  2. every kustomize overlay renders (kubectl kustomize) and every rendered object validates against
#     the Kubernetes schemas, unknown fields rejected (deploy-check module, ManifestValidator);
#  3. one service image (store-writer, Quarkus's Jib extension) and the CLI image (jib-maven-plugin) are
#     built into tarballs, from a base image made here from the local JDK (jlink) because no container
#     registry is reachable from CI, then started as their non-root user.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="./mvnw -B -q -ntp"
ROOT=$PWD
OUT=target/deploy-checks
rm -rf "$OUT" && mkdir -p "$OUT"

# --- 1. compose ------------------------------------------------------------------------------------
if ! command -v docker-compose >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi
docker-compose -f docker-compose.yml config -q
echo "deploy-checks: docker-compose.yml valid"

# --- 2. kustomize overlays -------------------------------------------------------------------------
# A kubectl whose kustomize renders the overlays: $KUBECTL if set, else the one on the PATH, else Debian's
# kubernetes-client (kubectl 1.20 with kustomize 2.0), installed here. The kustomizations keep to fields
# that kustomize 2.0 and 5.x both understand (bases, patchesStrategicMerge; see k8s/overlays).
renders() { "$1" kustomize k8s/overlays/dev >/dev/null 2>&1; }
if [ -z "${KUBECTL:-}" ]; then
  KUBECTL=$(command -v kubectl || true)
  if [ -z "$KUBECTL" ] || ! renders "$KUBECTL"; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
    KUBECTL=/usr/bin/kubectl
  fi
fi
renders "$KUBECTL" || { echo "deploy-checks: $KUBECTL cannot render k8s/overlays/dev:" >&2; "$KUBECTL" kustomize k8s/overlays/dev >&2; exit 1; }
echo "deploy-checks: rendering with $KUBECTL ($("$KUBECTL" version --client 2>/dev/null | head -1))"
rendered=()
for overlay in k8s/overlays/*/; do
  name=$(basename "$overlay")
  # kustomize 5 warns on stderr that bases and patchesStrategicMerge are deprecated.
  "$KUBECTL" kustomize "$overlay" 2>"$OUT/$name.warnings" > "$OUT/$name.yaml"
  rendered+=("$OUT/$name.yaml")
done
$MVN -f deploy-check/pom.xml compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
# The operator Job templates (k8s/jobs, created by hand with kubectl create -f) are checked as they are.
jobs=(); for f in k8s/jobs/*.yaml; do [ -f "$f" ] && jobs+=("$f"); done
java -cp "deploy-check/target/classes:$(cat "$OUT/classpath.txt")" \
  dev.bigsegments.deploycheck.ManifestValidator "${rendered[@]}" "${jobs[@]}"

# --- 3. images to tarballs with Jib ----------------------------------------------------------------
# Base image: a jlink'd Java runtime plus the shared libraries it links, as a docker-save tarball
# (Jib reads tar:// bases). Production builds use the UBI base set in application.properties.
base="$OUT/base"
mkdir -p "$base/rootfs/opt" "$base/rootfs/tmp" "$base/rootfs/etc"
jlink --add-modules java.base,java.compiler,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=1 --output "$base/rootfs/opt/java"
find "$base/rootfs/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "/rootfs/" | sort -u | while read -r lib; do
      mkdir -p "$base/rootfs$(dirname "$lib")"; cp -L "$lib" "$base/rootfs$lib"
    done
printf 'root:x:0:0:root:/root:/sbin/nologin\njboss:x:185:0:app:/home/jboss:/sbin/nologin\n' > "$base/rootfs/etc/passwd"
chmod 1777 "$base/rootfs/tmp"
tar --sort=name --mtime='2020-01-01' --owner=0 --group=0 -C "$base/rootfs" -cf "$base/layer.tar" .
diff_id=$(sha256sum "$base/layer.tar" | cut -d' ' -f1)
cat > "$base/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LD_LIBRARY_PATH=/opt/java/lib:/opt/java/lib/server"],"User":"185"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created_by":"jlink (.ci/deploy-checks.sh)"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["bigsegments/jre-base:ci"],"Layers":["layer.tar"]}]' > "$base/manifest.json"
tar -C "$base" -cf "$base/base.tar" manifest.json config.json layer.tar

# Jib hands the finished image to `docker load` on stdin; this stand-in saves that stream instead.
cat > "$OUT/docker" <<SH
#!/usr/bin/env bash
case "\$1" in
  info) echo '{"OSType":"linux","Architecture":"x86_64"}' ;;
  load) cat > "$ROOT/$OUT/store-writer-image.tar"; echo "Loaded image: bigsegments/store-writer:ci" ;;
  *) exit 0 ;;
esac
SH
chmod +x "$OUT/docker"
# Built from a copy of the sources so that a build running beside it keeps its own target/ folders.
mkdir -p "$OUT/src"
tar --exclude=./target --exclude='./*/target' --exclude=./.git -cf - . | tar -C "$OUT/src" -xf -
# One Maven run builds both: the store-writer through Quarkus's Jib extension, the CLI through the cli
# module's cli-image profile (jib-maven-plugin buildTar).
(cd "$OUT/src" && $MVN package -pl store-writer,cli -am -DskipTests \
  -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.tag=ci \
  -Dquarkus.jib.base-jvm-image="tar://$ROOT/$base/base.tar" \
  -Dquarkus.jib.docker-executable-name="$ROOT/$OUT/docker" \
  -Dquarkus.jib.offline-mode=true \
  -Pcli-image -Djib.from.image="tar://$ROOT/$base/base.tar" -Djib.to.image=bigsegments/cli:ci \
  -Djib.disableUpdateChecks=true)
cp "$OUT/src/cli/target/jib-image.tar" "$OUT/cli-image.tar"

# Checks an image tarball: user 185, the entrypoint names $2; prints the entrypoint.
check_image() {
  python3 - "$1" "$2" <<'PY'
import json, sys, tarfile
t = tarfile.open(sys.argv[1])
manifest = json.load(t.extractfile("manifest.json"))[0]
config = json.load(t.extractfile(manifest["Config"]))["config"]
assert config.get("User") == "185", "image must run as non-root user 185, has %r" % config.get("User")
assert any(sys.argv[2] in a for a in config.get("Entrypoint", [])), config.get("Entrypoint")
print("deploy-checks: image %s, %d layers, user %s, entrypoint %s" % (
    manifest["RepoTags"], len(manifest["Layers"]), config["User"], " ".join(config["Entrypoint"])),
    file=sys.stderr)
print(json.dumps(config["Entrypoint"]))
PY
}
# Unpacks an image's layers into a folder (root can chroot there; no container runtime needed).
unpack_image() {
  mkdir -p "$2/x"
  tar -xf "$1" -C "$2/x"
  for layer in $(python3 -c "import json,sys;print(' '.join(json.load(open(sys.argv[1]))[0]['Layers']))" "$2/x/manifest.json"); do
    tar -xf "$2/x/$layer" -C "$2" --exclude=./x 2>/dev/null || tar -xzf "$2/x/$layer" -C "$2"
  done
}
in_image() {
  local rootfs=$1; shift
  env -i PATH=/opt/java/bin:/usr/bin:/bin LD_LIBRARY_PATH=/opt/java/lib:/opt/java/lib/server \
    "$(command -v chroot)" --userspec=185:0 "$rootfs" "$@"
}

# Smoke tests: the service image's Java starts as its user; the CLI image's entrypoint runs a command.
check_image "$OUT/store-writer-image.tar" quarkus-run.jar >/dev/null
unpack_image "$OUT/store-writer-image.tar" "$OUT/image-rootfs"
test -f "$OUT/image-rootfs/home/jboss/quarkus-run.jar"
in_image "$OUT/image-rootfs" /opt/java/bin/java -version 2>&1 | head -1
entrypoint=$(check_image "$OUT/cli-image.tar" dev.bigsegments.cli.BigSegmentsCli)
unpack_image "$OUT/cli-image.tar" "$OUT/cli-rootfs"
mapfile -t command < <(python3 -c "import json,sys;print('\n'.join(json.loads(sys.argv[1])))" "$entrypoint")
help=$(in_image "$OUT/cli-rootfs" "${command[@]}" topics create --help)
grep -q -- "--replication-factor" <<<"$help"
echo "deploy-checks: CLI image runs 'bigsegments topics create --help' as user 185"
echo "deploy-checks: passed"

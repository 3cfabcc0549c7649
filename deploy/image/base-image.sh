#!/usr/bin/env bash
# Builds the base of FunnelFlow's service images, without a container registry or a Docker engine:
#   target/image/base-image.tar — an image in `docker save` format that Jib builds on (tar:// base image).
#
# It holds only what the services' JVM needs:
#   /opt/java   a JRE made by jlink from the JDK of this build (the modules the services use, with a
#               class-data-sharing archive so that JVMs start faster);
#   /usr/lib    the C libraries that JRE and the services' native libraries (RocksDB, zstd, lz4,
#               snappy) link against, from this machine's Debian packages libc6, libgcc-s1, libstdc++6
#               and zlib1g — the packages the JDK itself was built against;
#   /etc        passwd and group with the user the services run as (funnelflow, 10001), nsswitch.conf;
#   /tmp, /data writable by that user (/data is where a service keeps its state: mount a volume there).
# No shell and no package manager: nothing an attacker could use that the services do not.
#
# The build runs it (the root pom, profile images, on Debian-based machines) before the services' images;
# it does nothing when target/image/base-image.tar was made by this script from the same JDK (--force
# makes it again). By hand: deploy/image/base-image.sh [--force]
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/../.."

out=target/image
rootfs=$out/rootfs
tag=funnelflow/base:jre17
# what the four services use, by jdeps --print-module-deps --ignore-missing-deps --class-path '<module>/target/lib/*'
# <module>/target/<module>.jar (their union), and jdk.crypto.ec for TLS with elliptic curves, jdk.zipfs for jar resources
modules=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.scripting,java.security.jgss,java.security.sasl,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs
packages=(libc6 libgcc-s1 libstdc++6 zlib1g)

command -v dpkg-query >/dev/null || { echo "base-image.sh: needs a Debian-based machine (dpkg-query)" >&2; exit 1; }
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
[ -x "$java_home/bin/jlink" ] || { echo "base-image.sh: no jlink in $java_home (a JDK 17 is needed)" >&2; exit 1; }

# the same script and the same JDK made it: nothing to do
stamp="$(sha256sum "$self" | cut -d' ' -f1) $(cat "$java_home/release" 2>/dev/null | sha256sum | cut -d' ' -f1) $java_home"
if [ "${1:-}" != "--force" ] && [ -f "$out/base-image.tar" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "base-image.sh: $out/base-image.tar is up to date"
  exit 0
fi

start=$(date +%s)
rm -rf "$out"
mkdir -p "$rootfs"

# the JRE; java.desktop is there for java.beans (Jackson, Tribuo), its AWT native code is left out
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --exclude-files="$(printf 'glob:**/lib/%s.so,' libawt libawt_headless libawt_xawt libsplashscreen libjsound libfontmanager liblcms libjavajpeg libmlib_image)" \
  --output "$rootfs/opt/java"

# the C libraries, as the packages installed them (Debian merges /lib into /usr/lib)
mkdir -p "$rootfs/usr/lib" "$rootfs/usr/lib64" "$rootfs/usr/bin"
ln -s usr/lib "$rootfs/lib"
ln -s usr/lib64 "$rootfs/lib64"
ln -s usr/bin "$rootfs/bin"
for p in "${packages[@]}"; do
  version=$(dpkg-query -W -f='${Version}' "$p:amd64" 2>/dev/null || dpkg-query -W -f='${Version}' "$p")
  echo "  $p $version" >> "$out/packages.txt"
  while read -r f; do
    case "$f" in
      */gconv/*|*/audit/*|/usr/share/*|/etc/*) continue ;;
    esac
    if [ -L "$f" ] || [ -f "$f" ]; then
      case "$f" in /lib/*|/lib64/*) dest="$rootfs/usr$f" ;; *) dest="$rootfs$f" ;; esac
      mkdir -p "$(dirname "$dest")"
      cp -a "$f" "$dest"
    fi
  done < <(dpkg-query -L "$p:amd64" 2>/dev/null || dpkg-query -L "$p")
done

mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/data"
chmod 1777 "$rootfs/tmp" "$rootfs/data"
printf 'root:x:0:0:root:/root:/sbin/nologin\nfunnelflow:x:10001:10001:FunnelFlow:/data:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nfunnelflow:x:10001:\n' > "$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

# the default class-data-sharing archive of this JRE (it runs here: same machine, same libraries)
"$rootfs/opt/java/bin/java" -Xshare:dump -XX:SharedArchiveFile="$rootfs/opt/java/lib/server/classes.jsa" >/dev/null

# where user namespaces allow it, prove that the JRE runs on the image's own files alone (with a /proc,
# as a container has: the loader finds the JRE's libraries relative to /proc/self/exe)
if unshare -r -m -p -f true 2>/dev/null; then
  mkdir "$rootfs/proc"
  version=$(unshare -r -m -p -f --mount-proc="$rootfs/proc" chroot "$rootfs" /opt/java/bin/java -version 2>&1) \
    || { echo "base-image.sh: the JRE does not run in the image: $version" >&2; exit 1; }
  rmdir "$rootfs/proc"
  echo "  runs in the image: $(echo "$version" | head -1)"
fi

# one layer, reproducible: sorted, fixed times and owners
tar --sort=name --mtime='@1' --owner=0 --group=0 --numeric-owner --format=gnu -C "$rootfs" -cf "$out/layer.tar" .
layer=$(sha256sum "$out/layer.tar" | cut -d' ' -f1)
mkdir -p "$out/save/$layer"
mv "$out/layer.tar" "$out/save/$layer/layer.tar"
cat > "$out/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"10001:10001","WorkingDir":"/","Env":["PATH=/opt/java/bin:/usr/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/base-image.sh: jlink JRE, Debian ${packages[*]}"}]}
EOF
config=$(sha256sum "$out/config.json" | cut -d' ' -f1)
mv "$out/config.json" "$out/save/$config.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config" "$tag" "$layer" > "$out/save/manifest.json"
tar --mtime='@1' --owner=0 --group=0 --numeric-owner -C "$out/save" -cf "$out/base-image.tar" \
  manifest.json "$config.json" "$layer/layer.tar"
rm -rf "$out/save"
echo "$stamp" > "$out/stamp"

echo "base-image.sh: $out/base-image.tar ($tag, $(du -h "$out/base-image.tar" | cut -f1)) in $(( $(date +%s) - start )) s"
cat "$out/packages.txt"

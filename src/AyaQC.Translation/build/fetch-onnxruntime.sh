#!/usr/bin/env bash
# Fetches ONNX Runtime's libonnxruntime.so.1 (linux-x64) from the npm package onnxruntime-node and checks its sha256.
# Called by OnnxRuntime.targets. Several builds may run at once: a flock on the target folder makes one of them fetch.
# usage: fetch-onnxruntime.sh VERSION SHA256 DEST_DIR
set -euo pipefail
version="$1" sha="$2" dest="$3"
lib="$dest/libonnxruntime.so.1"
mkdir -p "$dest"
exec 9>"$dest/.fetch.lock"
flock 9
if [ -f "$lib" ] && echo "$sha  $lib" | sha256sum --check --status; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error AYAQC001: npm is not on PATH. The build fetches ONNX Runtime $version (libonnxruntime.so.1) from the npm package onnxruntime-node@$version; install Node.js/npm (Debian: apt-get install npm), or place the library at $lib yourself." >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "Fetching onnxruntime-node@$version from npm (about 114 MB, once) ..."
( cd "$tmp" && npm pack "onnxruntime-node@$version" --silent >/dev/null )
tar -xzf "$tmp/onnxruntime-node-$version.tgz" -C "$tmp" "package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
got="$(sha256sum "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | cut -d' ' -f1)"
if [ "$got" != "$sha" ]; then
  echo "error AYAQC002: libonnxruntime.so.1 from onnxruntime-node@$version has sha256 $got, expected $sha; refusing to use it." >&2
  exit 1
fi
mv "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$lib.partial"
mv "$lib.partial" "$lib"
echo "ONNX Runtime $version ready at $lib"

#!/usr/bin/env bash
# GPU readiness check, for a host with an NVIDIA GPU, CUDA 13 and cuDNN 9 (no GPU is reachable from the project's own
# machines, so the figures this prints are still to be measured there):
#   1. builds ayaqc and the translation tests with ONNX Runtime's GPU package (-p:AyaQCGpu=true, into .gpu-build/,
#      apart from the default CPU build);
#   2. runs the tests that need CUDA (CUDA gives torch's ids, auto takes CUDA), which elsewhere skip with ORT's reason;
#   3. benchmarks a random-weight NLLB-600M-shaped model (make_fixtures.py --size 600M, made once and kept) at batch 64,
#      fp32 and fp16 where the export allows, greedy and beam 4, printing sentences/s and the share of time outside ORT.
#
# usage: scripts/gpu-check.sh [--model DIR] [--work DIR] [--device cuda|auto] [--quick] [--no-build --cli AYAQC_DLL]
#   --model DIR   an NLLB-shaped model folder to benchmark instead of making the random 600M one
#   --work DIR    where the random models are kept (default ~/.cache/ayaqc-gpu-check)
#   --quick       the tiny test model with --device auto, 2 batches: checks the script and the CPU fallback anywhere
#   --no-build    use an already built ayaqc (--cli PATH/ayaqc.dll) and skip the build and the tests
# Exit status: 0 when every step ran; 1 when a step failed (the line above says which and why).
set -euo pipefail
cd "$(dirname "$0")/.."

model="" work="${HOME:-/tmp}/.cache/ayaqc-gpu-check" device=cuda quick=0 build=1 cli=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --quick) quick=1; device=auto; shift ;;
    --no-build) build=0; shift ;;
    --cli) cli="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

tiny=tests/AyaQC.Translation.Tests/Fixtures/tiny-nllb
artifacts=.gpu-build
fail() { echo "gpu-check: FAILED: $*" >&2; exit 1; }

if [ "$build" = 1 ]; then
  echo "== build with the GPU package (Microsoft.ML.OnnxRuntime.Gpu.Linux) into $artifacts/"
  dotnet build src/AyaQC.Cli -c Release -p:AyaQCGpu=true --artifacts-path "$artifacts" -v quiet -nologo \
    || fail "build with -p:AyaQCGpu=true"
  cli="$artifacts/bin/AyaQC.Cli/release/ayaqc.dll"
  echo "== tests that need CUDA (skipped with ORT's reason where CUDA cannot load)"
  dotnet test tests/AyaQC.Translation.Tests -c Release -p:AyaQCGpu=true --artifacts-path "$artifacts" -nologo \
    --filter "FullyQualifiedName~DeviceTests|FullyQualifiedName~DecodingTests|FullyQualifiedName~DeviceKernelsTests" \
    --logger "console;verbosity=normal" 2>&1 | grep -E "Skipped|Passed |Failed |Passed!|Failed!|error" \
    || fail "the CUDA tests (see above)"
fi
[ -n "$cli" ] && [ -f "$cli" ] || fail "no ayaqc to run: give --cli PATH/ayaqc.dll with --no-build"

# Models: (label, folder). fp16 is benchmarked when the export has one (make_fixtures.py --dtype fp16).
models=()
if [ "$quick" = 1 ]; then
  models+=("tiny-fp32" "$tiny")
elif [ -n "$model" ]; then
  models+=("given" "$model")
else
  for dtype in fp32 fp16; do
    dir="$work/nllb-600M-random-$dtype"
    if [ ! -f "$dir/config.json" ]; then
      echo "== making a random-weight NLLB-600M-shaped model ($dtype) in $dir (once; needs Debian's python3-torch, python3-onnx)"
      if ! /usr/bin/python3 "$(dirname "$tiny")/make_fixtures.py" --size 600M --dtype "$dtype" --out "$dir"; then
        rm -rf "$dir"
        [ "$dtype" = fp32 ] && fail "could not make the 600M model"
        echo "gpu-check: fp16 skipped: this export does not allow it (see the error above)"
        continue
      fi
      cp "$tiny/sentencepiece.bpe.model" "$dir/" # its ids fit any NLLB-sized vocabulary
    fi
    models+=("600M-$dtype" "$dir")
  done
fi

reports="reports/bench"
if [ "$quick" = 1 ]; then reports="$(mktemp -d)"; trap 'rm -rf "$reports"' EXIT; fi
batches=3 repeats=3
[ "$quick" = 1 ] && batches=2 repeats=1
summary=()
for ((i = 0; i < ${#models[@]}; i += 2)); do
  label="${models[i]}" dir="${models[i + 1]}"
  for beams in 1 4; do
    report="$reports/gpu-check-$label-beams$beams.json"
    echo "== bench: $label, batch 64, beams $beams, --device $device"
    if ! out=$(dotnet "$cli" bench backtranslate --model "$dir" --batch-size 64 --fixed-length 64 --beams "$beams" \
        --batches "$batches" --repeats "$repeats" --warmup 1 --device "$device" --report "$report" 2>&1); then
      echo "$out" >&2
      fail "bench $label beams $beams"
    fi
    echo "$out"
    summary+=("$label beams $beams: $(echo "$out" | grep -E '^(CPU|CUDA): ' | head -1)")
  done
done

where="reports in $reports/"
[ "$quick" = 1 ] && where="quick: reports not kept"
echo "== summary: sentences/s and the share of time outside ONNX Runtime ($where)"
printf '%s\n' "${summary[@]}"

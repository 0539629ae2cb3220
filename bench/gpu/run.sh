#!/usr/bin/env bash
# The GPU benchmark in one script: sets up what gpujs needs on a GPU machine, then runs
# bench/gpu/gpu-bench.ts (matmul 512–4096 and MLP training at batch 64, 256 and 1024 on the cpu
# backend and on gpujs in webgpu and headlessgl mode; results in bench/results/gpu/, table printed).
#
#   bench/gpu/run.sh [--quick] [--only=matmul,webgpu] [--out=DIR] [--budget=SECONDS]
#
# - webgpu is Dawn (the `webgpu` package) on Vulkan: it needs the Vulkan loader and a driver; the
#   NVIDIA driver's ICD is chosen where it is mounted, else Dawn gets SwiftShader (software).
# - headlessgl is headless-gl, whose bundled ANGLE renders through GLX only (no EGL display on
#   Linux): it needs an X server. Xvfb is started when there is no DISPLAY; with the NVIDIA driver,
#   __GLX_VENDOR_LIBRARY_NAME=nvidia sends GLX to the GPU instead of Mesa's software renderer.
# - On a machine that lacks the loaders (the lent H200 machines), carry the Debian packages in .gl/
#   (see bench/README.md): they are unpacked over / first.
# - On a machine without node_modules (and without Node), carry .gpu-carry/bundle.tar.xz, which
#   bench/gpu/carry.ts makes: Node, the bundled driver and cases, headless-gl, Dawn, the digits.
# Every step that fails is said, and the mode it concerns becomes a row saying why.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
setup=()
nv=/usr/local/nvidia
# Vulkan's window-system probes complain on every start without it.
[ -n "${XDG_RUNTIME_DIR:-}" ] || export XDG_RUNTIME_DIR="$(mktemp -d)"

# Loaders carried in .gl/ (libvulkan1, libglvnd's EGL/GLX/GL): unpacked over /, as the H200 notes say.
if compgen -G ".gl/*.deb" >/dev/null; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  setup+=("unpacked $(ls .gl/*.deb | wc -l) packages from .gl/ over /")
fi
# Xvfb and its libraries carried in .gl/xvfb/: unpacked apart from / (they could break it).
if compgen -G ".gl/xvfb/*.deb" >/dev/null && ! command -v Xvfb >/dev/null; then
  mkdir -p /tmp/xvfb-root
  for f in .gl/xvfb/*.deb; do dpkg -x "$f" /tmp/xvfb-root; done
  export PATH="/tmp/xvfb-root/usr/bin:$PATH"
  export LD_LIBRARY_PATH="/tmp/xvfb-root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  # Xvfb runs xkbcomp from its compiled-in path.
  [ -e /usr/bin/xkbcomp ] || ln -s /tmp/xvfb-root/usr/bin/xkbcomp /usr/bin/xkbcomp
  setup+=("Xvfb unpacked from .gl/xvfb/ into /tmp/xvfb-root")
fi

# The GPU and its driver's libraries.
gpu=""
if command -v nvidia-smi >/dev/null; then
  gpu="$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1)"
fi
if [ -d "$nv/lib64" ]; then
  export LD_LIBRARY_PATH="$nv/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  setup+=("$nv/lib64 on LD_LIBRARY_PATH")
fi

# Vulkan for Dawn: the NVIDIA ICD where the driver is mounted, else SwiftShader (Chromium's).
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for icd in "$nv/share/vulkan/icd.d/nvidia_icd.json" /usr/share/vulkan/icd.d/nvidia_icd.json \
    /etc/vulkan/icd.d/nvidia_icd.json /usr/lib/chromium/vk_swiftshader_icd.json; do
    if [ -f "$icd" ]; then
      export VK_DRIVER_FILES="$icd"
      break
    fi
  done
fi
setup+=("Vulkan driver: ${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-none found, the loader searches its defaults}}")
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' || setup+=("no libvulkan.so.1: webgpu cannot start (carry libvulkan1 in .gl/)")
# EGL's vendor file, for programs that render through EGL (headless-gl does not: GLX only).
if [ -f "$nv/share/glvnd/egl_vendor.d/10_nvidia.json" ] && [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ]; then
  export __EGL_VENDOR_LIBRARY_FILENAMES="$nv/share/glvnd/egl_vendor.d/10_nvidia.json"
fi

# An X server for headless-gl; GLX to the NVIDIA driver where there is one.
xvfb_pid=""
if [ -z "${DISPLAY:-}" ]; then
  if command -v Xvfb >/dev/null; then
    for n in 91 92 93 94 95 96 97 98 99; do [ -e "/tmp/.X$n-lock" ] || break; done
    Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >/tmp/gpu-bench-xvfb.log 2>&1 &
    xvfb_pid=$!
    trap '[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null' EXIT
    sleep 2
    if kill -0 "$xvfb_pid" 2>/dev/null; then
      export DISPLAY=":$n"
      setup+=("Xvfb on :$n")
    else
      setup+=("Xvfb did not start: $(tail -2 /tmp/gpu-bench-xvfb.log | tr '\n' ' ')")
    fi
  else
    setup+=("no Xvfb and no DISPLAY: headlessgl cannot start (headless-gl needs an X server)")
  fi
fi
if [ -n "$gpu" ] || [ -e "$nv/lib64/libGLX_nvidia.so.0" ]; then
  export __GLX_VENDOR_LIBRARY_NAME=nvidia
  setup+=("__GLX_VENDOR_LIBRARY_NAME=nvidia")
fi

# Without node_modules (the lent GPU machines), the archive bench/gpu/carry.ts made: its Node, the
# driver and cases bundled, headless-gl, Dawn and the digits. Results are copied back to bench/results.
carried=""
bench_dir="$root/bench"
gl_module="createRequire(require.resolve('gpu.js'))('gl')"
if [ ! -d node_modules ] && [ -f .gpu-carry/bundle.tar.xz ]; then
  carried=/tmp/backprop-gpu-carry
  rm -rf "$carried" && mkdir -p "$carried" && tar -xJf .gpu-carry/bundle.tar.xz -C "$carried"
  export PATH="$carried:$PATH"
  bench_dir="$carried/bench"
  gl_module="require('$carried/node_modules/gl')"
  setup+=("no node_modules: unpacked .gpu-carry/bundle.tar.xz (Node $(node --version)) into $carried")
fi

# What headless-gl renders with (llvmpipe means software), asked in a child so a crash is only a line.
cd "$bench_dir" || exit 1
renderer="$(timeout 60 node -e "
const { createRequire } = require('node:module');
const gl = ${gl_module}(1, 1);
if (!gl) throw new Error('headless-gl gave no context');
const info = gl.getExtension('WEBGL_debug_renderer_info');
console.log(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
" 2>&1 | tail -1)"

export GPU_BENCH_GPU="$gpu" GPU_BENCH_GL_RENDERER="$renderer"
GPU_BENCH_SETUP="$(printf '%s;' "${setup[@]}")"
export GPU_BENCH_SETUP
if [ -z "$carried" ]; then
  node --conditions=source --import tsx gpu/gpu-bench.ts "$@"
  exit
fi
node gpu/gpu-bench.mjs "$@"
status=$?
mkdir -p "$root/bench/results" && cp -r "$carried/bench/results/." "$root/bench/results/"
exit "$status"

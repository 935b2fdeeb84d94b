#!/usr/bin/env bash
# Builds the Solana rewards program (onchain/solana/program) as an SBPF v3 binary from Debian's
# packages and crates.io only; `make solana` runs it (and `make test` / `make demo CHAIN=solana`).
#
#   rustc      Debian's rustc-web 1.96 (LLVM 22) with libstd-rust-web-dev-bpf: prebuilt core and
#              compiler_builtins for bpfel-unknown-none (no nightly, no build-std)
#   linker     sbpf-linker 0.2.6 from crates.io, `cargo install --locked` once into a cache outside
#              the clone; it loads Debian's libLLVM 22 at run time
#   crates     onchain/solana/Cargo.lock, built with --locked
#
# Why not `cargo build-sbf`: it downloads Anza's platform tools, which only the package registries
# can reach here (docs/decisions/0004-solana-sbpf-from-the-registries.md). Warm runs are an incremental
# cargo build (about a second when nothing changed). Prints the binary's SHA-256 and size.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${CSM_CACHE:-$HOME/.cache/csm}"
TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/cargo-target}"
LINKER_VERSION=0.2.6
TOOLS="$CACHE/tools"
LINKER_ROOT="$TOOLS/sbpf-linker-$LINKER_VERSION"
LINKER="$LINKER_ROOT/bin/sbpf-linker"
LLVM_DIR="$TOOLS/llvm-22"
RUSTC_BPF=/usr/bin/rustc
RUST_WANT=1.96
LLVM_WANT=22
OUT_DIR="$TARGET_DIR/deploy"
OUT="$OUT_DIR/csm_solana_program.so"

fail() { echo "make solana: $*" >&2; exit 1; }

# 1. Debian's compiler and its BPF standard library (installed by scripts/install-system-deps.sh).
[[ -x $RUSTC_BPF ]] || fail "$RUSTC_BPF is missing: install Debian's rustc-web and libstd-rust-web-dev-bpf \
(bookworm-security), e.g. run 'make system-deps', then run 'make solana' again."
version=$($RUSTC_BPF --version --verbose)
release=$(sed -n 's/^release: //p' <<<"$version")
llvm=$(sed -n 's/^LLVM version: //p' <<<"$version")
[[ $release == "$RUST_WANT".* && $llvm == "$LLVM_WANT".* ]] || fail "$RUSTC_BPF is rustc $release with LLVM \
$llvm; this build is pinned to Debian's rustc-web $RUST_WANT (LLVM $LLVM_WANT). Install rustc-web from \
bookworm-security ('make system-deps') and run 'make solana' again."
sysroot=$($RUSTC_BPF --print sysroot)
ls "$sysroot"/lib/rustlib/bpfel-unknown-none/lib/libcore-*.rlib >/dev/null 2>&1 || fail "no core library for \
bpfel-unknown-none under $sysroot: install Debian's libstd-rust-web-dev-bpf ('make system-deps')."
libllvm=$(ls /usr/lib/x86_64-linux-gnu/libLLVM.so."$LLVM_WANT"* /usr/lib/*/libLLVM.so."$LLVM_WANT"* 2>/dev/null \
  | head -1 || true)
[[ -n $libllvm ]] || fail "libLLVM.so.$LLVM_WANT not found: install Debian's libllvm$LLVM_WANT."

# 2. The linker, once per machine. The lock keeps two checkouts from installing it at the same time;
#    installing into a temporary root and renaming means an interrupted install is never taken for
#    a finished one.
mkdir -p "$TOOLS"
if [[ ! -x $LINKER ]]; then
  exec 9>"$TOOLS/.sbpf-linker.lock"
  flock 9
  if [[ ! -x $LINKER ]]; then
    command -v cargo >/dev/null || fail "cargo is needed to install sbpf-linker (rustup's stable is enough)."
    echo "make solana: installing sbpf-linker $LINKER_VERSION from crates.io into $LINKER_ROOT" \
      "(once per machine; a few minutes on 2 cores)"
    rm -rf "$LINKER_ROOT.partial"
    cargo install "sbpf-linker@$LINKER_VERSION" --locked --root "$LINKER_ROOT.partial"
    rm -rf "$LINKER_ROOT"
    mv "$LINKER_ROOT.partial" "$LINKER_ROOT"
  fi
  exec 9>&-
fi

# 3. The linker takes the first libLLVM* it finds on LD_LIBRARY_PATH: give it a directory holding
#    only Debian's LLVM 22 (other LLVMs, e.g. 14 and 15, live beside it in /usr/lib).
mkdir -p "$LLVM_DIR"
ln -sfn "$libllvm" "$LLVM_DIR/libLLVM-$LLVM_WANT.so"

# 4. The program. --arch=v3: the SBPF version clusters accept once v0 deployments are disabled
#    (SIMD-0500). --disable-math-builtins: the compiler's 128-bit and float builtins cannot be
#    lowered by upstream LLVM's BPF backend (the program has no 128-bit arithmetic; see the
#    interface's wide.rs). --deploy=false: no copy in the source tree; the binary goes to $OUT.
#    +allows-misaligned-mem-access: the SBPF VM allows unaligned loads and stores, and with it LLVM
#    copies the byte layouts 8 bytes at a time instead of byte by byte (measured: 191 kB -> 70 kB,
#    one claim 9 474 -> 4 369 compute units). rustc warns that the feature is not one it knows for
#    this target and passes it to LLVM, which does.
echo "make solana: building onchain/solana/program for bpfel-unknown-none (SBPF v3)"
rustflags=(-C panic=abort -C relocation-model=static -C link-arg=--llvm-args=-bpf-stack-size=4096
           -C link-arg=--disable-math-builtins -C link-arg=--arch=v3 -C link-arg=--deploy=false
           -C target-feature=+allows-misaligned-mem-access)
(
  cd onchain/solana
  RUSTC="$RUSTC_BPF" \
  CARGO_TARGET_DIR="$TARGET_DIR/sbpf" \
  CARGO_TARGET_BPFEL_UNKNOWN_NONE_LINKER="$LINKER" \
  CARGO_TARGET_BPFEL_UNKNOWN_NONE_RUSTFLAGS="${rustflags[*]}" \
  LD_LIBRARY_PATH="$LLVM_DIR" \
  cargo build --locked --release --target bpfel-unknown-none -p csm-solana-program
)
built="$TARGET_DIR/sbpf/bpfel-unknown-none/release/libcsm_solana_program.so"
[[ -s $built ]] || fail "the build left no $built"
mkdir -p "$OUT_DIR"
cmp -s "$built" "$OUT" || cp "$built" "$OUT"
echo "make solana: $OUT"
echo "  sha256 $(sha256sum "$OUT" | cut -d' ' -f1)  size $(stat -c %s "$OUT") bytes" \
  "(rustc $release, LLVM $llvm, sbpf-linker $LINKER_VERSION)"

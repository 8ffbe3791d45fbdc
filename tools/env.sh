# Shared set-up for tools/serve and tools/test: sourced, not run.
# Finds an Odoo 18.0 source tree, builds the project virtualenv and starts PostgreSQL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-18.0}"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
ODOO_ARCHIVE_URL="${ODOO_ARCHIVE_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
PYTHON="${PYTHON:-python3}"

log() { printf '[sales_team_org] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || { log "apt-get not found; install ${missing[*]} by hand"; return 1; }
    log "installing ${missing[*]}"
    as_root apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

odoo_tree_ok() { [ -f "$1/odoo/release.py" ] && grep -q "^version_info = (18, 0" "$1/odoo/release.py"; }

# Sets ODOO_SRC to a usable Odoo 18.0 tree or returns 1.
find_odoo() {
    odoo_tree_ok "$ODOO_SRC" && return 0
    if [ "${ODOO_DOWNLOAD:-1}" = 1 ]; then
        local dest="$ROOT/.odoo-src"
        if ! odoo_tree_ok "$dest"; then
            log "no Odoo 18.0 tree at $ODOO_SRC; trying the official 18.0 source archive"
            mkdir -p "$dest"
            if ! curl -fsSL --connect-timeout 30 --max-time 900 "$ODOO_ARCHIVE_URL" | tar -xz -C "$dest" --strip-components=1 2>/dev/null; then
                rm -rf "$dest"
                return 1
            fi
        fi
        odoo_tree_ok "$dest" && ODOO_SRC="$dest" && return 0
    fi
    return 1
}

# Odoo's pins that do not build on current Pythons/setuptools are replaced here.
odoo_requirements() {
    sed -E \
        -e 's/^cbor2==5\.4\.2/cbor2==5.4.6/' \
        -e '/^python-ldap/d' \
        "$ODOO_SRC/requirements.txt"
}

# pip, without the warnings about this machine's unused local index folders
pip_install() {
    local status
    { "$PY" -m pip install -q "$@" 2>&1; echo "pip-status=$?"; } \
        | { grep -v "is ignored: it is neither a file nor a directory" || true; } > "$VENV/pip.log"
    status=$(sed -n 's/^pip-status=//p' "$VENV/pip.log")
    grep -v '^pip-status=' "$VENV/pip.log" >&2 || true
    return "${status:-1}"
}

# What Odoo needs to print PDFs: Debian's wkhtmltopdf and a CJK font for the Chinese prints, and
# poppler-utils (pdftotext, pdftoppm) to read them back. Without them Odoo offers the prints as HTML
# only and the PDF test skips itself.
ensure_pdf_tools() {
    apt_install wkhtmltopdf fonts-noto-cjk poppler-utils \
        || log "wkhtmltopdf, fonts-noto-cjk and poppler-utils could not all be installed: no PDF prints"
}

ensure_venv() {
    local stamp="$VENV/.sales_team_org-$(sha1sum "$ODOO_SRC/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-12)"
    ensure_pdf_tools
    [ -f "$stamp" ] && return 0
    apt_install libpq-dev
    [ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
    log "installing Odoo's requirements into $VENV (a few minutes the first time)"
    pip_install --upgrade 'pip<25' 'setuptools<70' wheel
    odoo_requirements > "$VENV/odoo-requirements.txt"
    pip_install --no-build-isolation -r "$VENV/odoo-requirements.txt"
    pip_install -r "$ROOT/requirements-dev.txt"
    pip_install --no-deps --no-build-isolation -e "$ODOO_SRC"
    rm -f "$VENV"/.sales_team_org-*
    touch "$stamp"
}

ensure_lint_venv() {
    [ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
    "$PY" -c 'import pylint_odoo, lxml' 2>/dev/null && return 0
    pip_install -r "$ROOT/requirements-dev.txt"
}

# PostgreSQL of the machine, a role named after the current user.
ensure_postgres() {
    command -v pg_ctlcluster >/dev/null || apt_install postgresql
    local cluster
    cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
    if [ -z "$cluster" ]; then
        as_root pg_createcluster "$(ls /usr/lib/postgresql | sort -n | tail -1)" main >/dev/null
        cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
    fi
    pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online || as_root pg_ctlcluster $cluster start
    local me; me=$(id -un)
    if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1; then
        as_root su postgres -c "createuser --superuser '$me'"
    fi
}

# ADDONS_ROOT: where sales_team_org is taken from (this tree unless told otherwise)
addons_path() {
    local path="$ODOO_SRC/odoo/addons"
    [ -d "$ODOO_SRC/addons" ] && path="$path,$ODOO_SRC/addons"
    echo "$path,${ADDONS_ROOT:-$ROOT}"
}

# Chromium for Odoo's browser tours (they skip themselves when there is none).
ensure_browser() {
    command -v chromium >/dev/null || command -v google-chrome >/dev/null \
        || command -v chromium-browser >/dev/null || apt_install chromium
}

# odoo_bin [shell] OPTIONS...: Odoo of $ODOO_SRC with this project's addons path.
# ODOO_MAIN: a script to run in place of odoo-bin (see tools/run_stock_suites.py).
odoo_bin() {
    local bin="${ODOO_MAIN:-$ODOO_SRC/setup/odoo-bin}" command=()
    [ -f "$bin" ] || bin="$ODOO_SRC/odoo-bin"
    if [ "${1:-}" = shell ]; then command=(shell); shift; fi
    "$PY" "$bin" "${command[@]}" --addons-path="$(addons_path)" "$@"
}

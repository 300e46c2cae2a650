# Shared helpers for scripts/*. Source it; do not run it.
# shellcheck shell=bash

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: installing system packages needs root, and neither root nor sudo is available." >&2
        echo "       Install them yourself and run this again: $*" >&2
        exit 1
    fi
}

# Installs the Debian packages vnetsim needs, only those that are missing.
#   required: libgsl-dev pkg-config (GSL is linked by the CGSL target),
#             libsqlite3-dev (GRDB, the study database, links the system SQLite)
#   for reports: gnuplot-nox (plots), tshark (pcap round-trip test)
ensure_packages() {
    local missing=()
    pkg-config --exists gsl 2>/dev/null || missing+=(libgsl-dev)
    pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
    command -v tshark >/dev/null 2>&1 || missing+=(tshark)
    if [ ${#missing[@]} -eq 0 ]; then return 0; fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: missing ${missing[*]} and this system has no apt-get." >&2
        echo "       Install GSL and SQLite's development files (with pkg-config), gnuplot and tshark with your package manager." >&2
        exit 1
    fi
    echo "==> installing ${missing[*]} (apt-get)" >&2
    # env passes the non-interactive front end through sudo, which resets the environment.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# Checks that a Swift toolchain is on PATH.
ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "error: no 'swift' on PATH. vnetsim needs Swift 6.0 or later (https://www.swift.org/install/)." >&2
        exit 1
    fi
}

# Installs Python's jsonschema (the standard validator ScenarioTests checks docs/scenario.schema.json with)
# for the user, with pip, if python3 cannot import it.
ensure_jsonschema() {
    if ! command -v python3 >/dev/null 2>&1; then
        echo "error: no 'python3' on PATH; the tests validate scenarios with Python's jsonschema." >&2
        echo "       Install python3 and pip (Debian: apt-get install python3-pip) and run this again." >&2
        exit 1
    fi
    if python3 -c 'import jsonschema' >/dev/null 2>&1; then return 0; fi
    echo "==> installing Python's jsonschema (pip install --user)" >&2
    # Debian's system Python refuses user installs without --break-system-packages (PEP 668); jsonschema
    # goes to ~/.local either way, beside nothing the system manages.
    if python3 -m pip install --user --quiet jsonschema >&2 \
        || python3 -m pip install --user --quiet --break-system-packages jsonschema >&2 \
        || python3 -m pip install --quiet jsonschema >&2; then  # in a virtualenv, which has no user site
        return 0
    fi
    if command -v apt-get >/dev/null 2>&1; then  # no pip: Debian's own package
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-jsonschema >&2 && return 0
    fi
    echo "error: could not install jsonschema: run 'python3 -m pip install --user jsonschema'" >&2
    exit 1
}

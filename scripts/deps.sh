#!/bin/sh
# svcaudit: install the Debian packages the build, the tests or the demo need,
# only those that are missing. Usage: scripts/deps.sh build|test|demo|fuzz
set -e
need="libxlsxwriter-dev libiniparser-dev libsqlite3-dev libunistring-dev libcairo2-dev libpango1.0-dev fonts-wqy-zenhei libpq-dev pkg-config gcc make"
case "$1" in
test) need="$need libcmocka-dev python3-openpyxl sqlite3 postgresql tmux libreoffice-calc-nogui poppler-utils" ;;
demo) need="$need sqlite3" ;;
fuzz) need="$need clang libclang-rt-dev" ;;
esac
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "svcaudit: installing missing packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "svcaudit: run as root, or install:$missing" >&2; exit 3
    fi
fi
${SUDO:-} apt-get update -qq
DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq --no-install-recommends $missing >/dev/null

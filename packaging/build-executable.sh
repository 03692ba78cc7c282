#!/usr/bin/env bash
# Build aap's one-file executable with PyInstaller (recipe: packaging/aap.spec), for the system
# this runs on (Linux or macOS; on Windows, see the README's « Installer sans être développeur »).
#
#     packaging/build-executable.sh            →  dist/aap
#
# In a virtual environment of its own (the project and its `executable` extra, i.e. PyInstaller),
# from the working tree as it is. Settings, by environment variable:
#   PYTHON            the Python to build with (default python3; 3.11 or newer)
#   AAP_BUILD_VENV    where to make that environment (default build/executable-venv)
#   AAP_BUILD_DIR     PyInstaller's work folder (default build/pyinstaller)
#   AAP_DIST          where the executable lands (default dist)
# On Linux, PyInstaller needs objdump and objcopy (Debian, Ubuntu: apt install binutils) and a
# Python whose shared library exists (Debian's python3: apt install libpython3.11, or the version
# it is; pyenv: build it with PYTHON_CONFIGURE_OPTS=--enable-shared).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=${AAP_BUILD_VENV:-build/executable-venv}
work=${AAP_BUILD_DIR:-build/pyinstaller}
dist=${AAP_DIST:-dist}

"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet ".[executable]"
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" packaging/aap.spec
"$dist/aap" --version
echo "executable: $dist/aap ($(du -m "$dist/aap" | cut -f1) MB)"

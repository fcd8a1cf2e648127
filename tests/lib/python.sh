# shellcheck shell=bash
# Sets and exports PY, a python3 that has scapy, for the tests that write
# packets with it (offline) or answer in the lab: Debian's python3-scapy is
# installed for /usr/bin/python3, and a python3 earlier in PATH (pyenv's, a
# virtualenv) may lack it, which silently skipped those parts. Without scapy
# anywhere, PY is the first python3 in PATH and the scapy parts skip.
PY=python3
for _py in /usr/bin/python3 python3; do
    if "$_py" -c 'import scapy' 2>/dev/null; then
        PY=$_py
        break
    fi
done
unset _py
export PY # for the scripts a test runs in the lab

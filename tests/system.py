"""Programs some tests need (Graphviz, Chromium): installed from Debian's packages when missing."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

_TRIED: set[str] = set()


def require(program: str, package: str) -> str:
    """The path of `program`, installing Debian's `package` first if it is missing and we may."""
    found = shutil.which(program)
    if found:
        return found
    if package not in _TRIED and shutil.which("apt-get") and os.geteuid() == 0:
        _TRIED.add(package)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env, capture_output=True)
        found = shutil.which(program)
        if found:
            return found
    pytest.fail(f"{program} is needed and could not be installed: run 'apt-get install {package}' "
                "(as root), or let .ci/run do it")

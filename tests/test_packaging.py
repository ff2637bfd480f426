"""What `pip install zhclean` brings into a user's environment (a fresh virtual environment)."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_install_pulls_no_package_named_opencc(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = str(env_dir / "bin" / "python")
    r = subprocess.run([py, "-m", "pip", "install", "--quiet", str(ROOT)], capture_output=True, text=True, timeout=900)
    if r.returncode != 0 and ("Could not find a version" in r.stderr or "Failed to establish" in r.stderr):
        pytest.skip(f"no package index reachable: {r.stderr[-200:]}")
    assert r.returncode == 0, r.stderr[-2000:]
    # no distribution installs the import name `opencc` (opencc-python-reimplemented did, shadowing
    # the official C++ binding)
    show = subprocess.run([py, "-m", "pip", "show", "opencc", "opencc-python-reimplemented"], capture_output=True, text=True)
    assert show.returncode != 0 and "Name:" not in show.stdout
    probe = subprocess.run([py, "-c", "import importlib.util, zhclean; "
                            "assert importlib.util.find_spec('opencc') is None; "
                            "print(zhclean.convert('汉字转换', 's2t'))"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "漢字轉換"


@pytest.mark.slow
def test_wheel_declares_an_spdx_licence_without_warnings(tmp_path):
    """`project.license` is an SPDX expression: the wheel says `License-Expression: Apache-2.0` and the
    build (setuptools >= 77, from build-system.requires) prints no deprecation warning about it."""
    import zipfile

    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0 and ("Could not find a version" in r.stderr or "Failed to establish" in r.stderr):
        pytest.skip(f"no package index reachable: {r.stderr[-200:]}")
    assert r.returncode == 0, r.stderr[-2000:]
    log = r.stdout + r.stderr
    assert "project.license" not in log and "License classifiers are deprecated" not in log
    (whl,) = tmp_path.glob("zhclean-*.whl")
    with zipfile.ZipFile(whl) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: Apache-2.0" in meta.splitlines()

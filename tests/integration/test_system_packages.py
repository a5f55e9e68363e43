"""`make demo` and `make test` install the Debian packages they need, or say how.

The script runs with stand-ins for dpkg-query, id and apt-get first in PATH: nothing is
installed for real, and what apt-get would have been asked is written down.
"""

import os
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "scripts" / "system-packages.sh"
RUNTIME = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]
TEST = [*RUNTIME, "chromium", "poppler-utils", "softhsm2"]
STAGE = [*TEST, "nginx", "openssl"]
DRILLS = [*TEST, "redis-server", "postgresql"]

STUBS = {
    # Installed packages are those listed in $INSTALLED.
    "dpkg-query": """#!/bin/sh
for package; do :; done
case " $INSTALLED " in *" $package "*) printf 'install ok installed' ;; *) exit 1 ;; esac
""",
    "id": '#!/bin/sh\necho "$FAKE_UID"\n',
    "apt-get": '#!/bin/sh\necho "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> "$APT_LOG"\n',
}


@pytest.fixture
def run(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in STUBS.items():
        (bin_dir / name).write_text(body, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    apt_log = tmp_path / "apt.log"

    def run(kind, *, installed, uid):
        result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            ["bash", str(SCRIPT), kind],  # noqa: S607 - bash from PATH, as make runs it
            env={
                "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                "INSTALLED": " ".join(installed),
                "FAKE_UID": str(uid),
                "APT_LOG": str(apt_log),
            },
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        calls = apt_log.read_text(encoding="utf-8").splitlines() if apt_log.exists() else []
        return result, calls

    return run


@pytest.mark.parametrize(
    ("kind", "packages"),
    [("runtime", RUNTIME), ("test", TEST), ("stage", STAGE), ("drills", DRILLS)],
)
def test_nothing_to_do_when_everything_is_there(run, kind, packages):
    result, calls = run(kind, installed=packages, uid=1000)
    assert result.returncode == 0, result.stderr
    assert calls == []


def test_demo_needs_only_the_runtime_libraries(run):
    result, calls = run("runtime", installed=RUNTIME, uid=0)  # no chromium, no poppler
    assert result.returncode == 0, result.stderr
    assert calls == []


def test_as_root_missing_packages_are_installed_without_questions(run):
    result, calls = run("test", installed=RUNTIME, uid=0)

    assert result.returncode == 0, result.stderr
    assert calls == [
        "apt-get update DEBIAN_FRONTEND=noninteractive",
        "apt-get install -y --no-install-recommends chromium poppler-utils softhsm2 "
        "DEBIAN_FRONTEND=noninteractive",
    ]


def test_drills_add_the_servers_they_start_themselves(run):
    result, calls = run("drills", installed=TEST, uid=0)

    assert result.returncode == 0, result.stderr
    assert calls[-1] == (
        "apt-get install -y --no-install-recommends redis-server postgresql "
        "DEBIAN_FRONTEND=noninteractive"
    )


def test_otherwise_stops_with_the_one_line_to_run(run):
    result, calls = run("test", installed=["chromium"], uid=1000)

    assert result.returncode != 0
    assert calls == []
    missing = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils softhsm2"
    assert f"Paquets système manquants : {missing}" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends {missing}'"
    )


def test_an_unknown_kind_is_refused(run):
    result, _calls = run("tout", installed=[], uid=0)
    assert result.returncode == 2
    assert "runtime|test|stage" in result.stderr


def test_the_production_stage_adds_its_tls_proxy(run):
    result, calls = run("stage", installed=TEST, uid=0)

    assert result.returncode == 0, result.stderr
    assert calls[-1] == (
        "apt-get install -y --no-install-recommends nginx openssl DEBIAN_FRONTEND=noninteractive"
    )


@pytest.mark.parametrize(
    ("target", "kind"), [("demo", "runtime"), ("test", "test"), ("drills", "drills")]
)
def test_make_targets_check_their_packages(target, kind):
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "--dry-run", target],  # noqa: S607 - make from PATH, as a person runs it
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"bash scripts/system-packages.sh {kind}\n" in result.stdout

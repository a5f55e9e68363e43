"""One way to start each production process: scripts/serve. The image, the compose file
and the CI production stage all go through it, so what the stage proves is what runs."""

import re
import subprocess
from pathlib import Path

from ruamel.yaml import YAML

BASE_DIR = Path(__file__).resolve().parents[2]
SERVE = BASE_DIR / "scripts" / "serve"


def test_compose_starts_every_process_through_serve():
    compose = YAML(typ="safe").load((BASE_DIR / "docker-compose.yml").read_text("utf-8"))

    commandes = {nom: service.get("command") for nom, service in compose["services"].items()}
    assert commandes == {
        "db": None,
        "redis": None,
        "web": ["scripts/serve", "web"],
        "worker": ["scripts/serve", "worker"],
        "beat": ["scripts/serve", "beat"],
    }


def test_the_image_collects_and_serves_through_serve():
    dockerfile = (BASE_DIR / "Dockerfile").read_text("utf-8")

    assert "scripts/serve static" in dockerfile
    assert dockerfile.strip().splitlines()[-1] == 'CMD ["scripts/serve", "web"]'
    assert not re.search(r"manage\.py collectstatic|gunicorn integration|celery -A", dockerfile)


def test_the_production_stage_starts_the_same_processes():
    stage = (BASE_DIR / "scripts" / "production-stage.sh").read_text("utf-8")

    assert "scripts/serve static" in stage
    lances = re.findall(r'^start (\w+) "\$\{APP\[@\]\}" scripts/serve (\w+)$', stage, re.M)
    assert sorted(lances) == [("beat", "beat"), ("web", "web"), ("worker", "worker")]
    assert not re.search(r"gunicorn integration|celery -A", stage)


def test_serve_refuses_an_unknown_process():
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(SERVE), "tout"], capture_output=True, text=True, timeout=10, check=False
    )
    assert result.returncode == 2
    assert "usage" in result.stderr and "static|web|worker|beat" in result.stderr

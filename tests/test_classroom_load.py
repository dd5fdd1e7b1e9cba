"""60 students submit at once across 2 Streamlit processes behind nginx, on a real SQLite
file and a real Postgres server: the teacher's count is exactly 60, nothing lost or
doubled, and a backend restarted mid-question loses nothing. (Timings: bench_class.py.)"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from classroom_support import pg_bin, postgres_cluster

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_class  # noqa: E402

from xent.classroom import store as cs  # noqa: E402

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="NGINX MISSING: apt-get install nginx")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/class.sqlite3"
        return
    if not (pg_bin("initdb") and pg_bin("pg_ctl")):
        pytest.skip("POSTGRES TESTS SKIPPED: initdb/pg_ctl not found (apt-get install postgresql)")
    with postgres_cluster() as url:
        yield url


def test_sixty_students_across_two_processes_with_a_restart(db_url):
    db = cs.Store(cs.make_engine(db_url))
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", {"p": 0.2})
    guesses = [round(i / 60, 2) for i in range(60)]
    with bench_class.Cluster(db_url, 8790, [8791, 8792]) as cluster:
        bench_class.run_round(cluster.url, new.code, guesses[:30])
        assert db.tally(new.code).count == 30
        cluster.stop_backend(0)  # a server process dies mid-question and comes back
        cluster.start_backend(0)
        bench_class.run_round(cluster.url, new.code, guesses[30:])
    tally = db.tally(new.code)
    assert tally.count == 60
    assert Counter(tally.values) == Counter(guesses)
    db.engine.dispose()

"""What the packaging tests share, built once per session for all xdist workers (under a file lock in the
session's folder) and read only: dvcq's wheel, and this platform's wheels of its runtime dependencies
taken from the test environment, so that installing dvcq needs no index (``--no-index --find-links``, as
on an office PC without internet). What the tests write (venvs, bundles, downloads) goes to a folder in memory,
``ram_path`` (tests/support/ramdisk.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.packaging.scripts import wheelhouse
from tests.packaging.wheels import closure_key, repack, runtime_closure, sources_key, wheel_requirements
from tests.support.ramdisk import ram_folder
from tests.support.shared import built_once, session_root


@pytest.fixture(scope="session")
def dvcq_wheel(pytestconfig, tmp_path_factory) -> Path:
    """dvcq's wheel, built by packaging/wheelhouse.build_wheel from a clean copy of the sources with this
    environment's setuptools (no download), once per session; keyed by a digest of the sources."""
    folder = built_once(session_root(pytestconfig, tmp_path_factory), "dvcq-wheel", sources_key(),
                        lambda out: wheelhouse.build_wheel(out, isolated=False))
    (wheel,) = folder.glob("dvcq-*.whl")
    return wheel


@pytest.fixture(scope="session")
def dependency_wheels(pytestconfig, tmp_path_factory, dvcq_wheel) -> Path:
    """A folder of wheels for this platform of every distribution dvcq needs at run time (the wheel's
    requirements and theirs), repacked from the test environment once per session; keyed by their names,
    versions and tags."""
    dists = runtime_closure(wheel_requirements(dvcq_wheel))

    def make(out: Path) -> None:
        for dist in dists:
            repack(dist, out)

    return built_once(session_root(pytestconfig, tmp_path_factory), "dvcq-dependencies", closure_key(dists), make)


@pytest.fixture()
def ram_path(request, tmp_path) -> Path:
    """The test's temporary folder in memory (tmpfs) where the machine has one, else ``tmp_path``; removed when
    the test ends. Its venvs and wheels cost half the wall time there (docs/testing.md, "Sixth pass")."""
    with ram_folder(re.sub(r"\W+", "-", request.node.name)[:40], tmp_path) as folder:
        yield folder

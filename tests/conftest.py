"""Shared test setup: Qt runs offscreen everywhere (pytest-qt has no ini option for the platform)."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]

# CI machines are small and shared: a slow example is not a failure. Correctness, not speed, is
# what property tests check here (speed lives in tests/benchmarks).
settings.register_profile("csm", deadline=None)
settings.load_profile("csm")


BENCHMARKS = REPO / "tests" / "benchmarks"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/benchmarks is a benchmark, marked or not, so `make test-fast` leaves it out.

    Tests marked `sbf` run the real Solana program binary (`make solana` builds it). `make test` sets
    CSM_REQUIRE_SOLANA_PROGRAM, and then a missing binary is an error, never a skip; a developer running
    pytest without the binary sees each of those tests skipped with the reason.
    """
    for item in items:
        if item.path.is_relative_to(BENCHMARKS):
            item.add_marker(pytest.mark.benchmark)
    from carbon_smart_meter.chains.solana.program_binary import find_program_binary, missing_binary_message

    if not any("sbf" in item.keywords for item in items) or find_program_binary() is not None:
        return
    if os.environ.get("CSM_REQUIRE_SOLANA_PROGRAM"):
        raise pytest.UsageError(missing_binary_message())
    skip = pytest.mark.skip(reason="needs the Solana program binary: run `make solana`")
    for item in items:
        if "sbf" in item.keywords:
            item.add_marker(skip)


OWN_PROCESS = "CSM_TEST_IN_OWN_PROCESS"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Tests marked `own_process` run in a pytest of their own, a child process.

    They leave the process's HDF5 library unsafe on purpose: a write that fails (a disk filled under the
    recorder) abandons its file's handles, and a later recording in that process can crash in HDF5
    (reproduced: the disk-full test then the window's recording tests, one process, 1 run in 4 crashed
    closing a file). Their fixtures are still made here; the child makes its own.
    """
    if pyfuncitem.get_closest_marker("own_process") is None or os.environ.get(OWN_PROCESS) == pyfuncitem.nodeid:
        return None
    import subprocess
    import sys

    env = {**os.environ, OWN_PROCESS: pyfuncitem.nodeid}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist",
                           pyfuncitem.nodeid], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"{pyfuncitem.nodeid} failed in its own process:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}",
                    pytrace=False)
    return True


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """A child run of an `own_process` test leaves as `csm` does after abandoning a file: without HDF5's
    clean-up at exit (which can crash then), once pytest has reported."""
    if not os.environ.get(OWN_PROCESS):
        return
    from carbon_smart_meter.storage.session_file import abandoned_files

    if abandoned_files():
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1] if _EXIT_STATUS else 1)


@pytest.fixture
def no_records(tmp_path: Path) -> Path:
    """An empty calibration record store, so a test's devices read with factory scales whatever records the
    machine holds (`--calibrations` must name a folder that exists)."""
    path = tmp_path / "no-records"
    path.mkdir()
    return path

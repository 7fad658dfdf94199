"""Running the per-article stages on a Dask cluster, with results coming back to this process.

    this process: read -> batch ─┐            ┌─> results in input order -> store (SQLite)
    Dask workers:                └─> analyse ─┘   (spaCy, geoparse, quotes, events; models once per worker)

``connect(scheduler)`` opens a client on an existing scheduler (``tcp://host:8786``) or on a
``LocalCluster`` started here (``local:N``: N worker processes). ``stream(items, client)`` is
``Pipeline.stream`` on that cluster: the same results in the same order, read errors passed through in
place, at most ``IN_FLIGHT_PER_WORKER`` batches per worker in flight so memory stays flat however long
the input. Dask is optional (``pip install 'sitrep[dask]'``) and imported only here, on first use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sitrep.errors import InputError, SitrepError, import_optional
from sitrep.models import Article
from sitrep.pipeline import Analysis, Results, analyse_articles, ordered_batches

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

__all__ = ["connect", "parse_scheduler", "stream"]

LOCAL_PREFIX = "local:"
"""``local:N`` starts a LocalCluster of N worker processes instead of joining a scheduler."""
IN_FLIGHT_PER_WORKER = 2
"""Batches sent ahead per worker: one being analysed, one waiting in the worker's queue."""
CONNECT_TIMEOUT_S = 30
"""How long to wait for the scheduler, and then for its first worker, before giving up."""

_MODELS_LOCK = threading.Lock()
"""One batch at a time per worker process: the spaCy pipeline is not shared between threads."""


def parse_scheduler(spec: str) -> str | int:
    """The scheduler address, or the number of local workers for ``local:N``; SitrepError if malformed."""
    if not spec.startswith(LOCAL_PREFIX):
        if "://" not in spec and ":" not in spec:
            raise SitrepError(f"'{spec}' is not a Dask scheduler; give an address such as "
                              "tcp://scheduler:8786, or local:N for N workers on this machine")
        return spec
    count = spec.removeprefix(LOCAL_PREFIX)
    if not count.isdigit() or int(count) < 1:
        raise SitrepError(f"'{spec}': give the number of local workers, e.g. local:2")
    return int(count)


@contextmanager
def connect(scheduler: str, *, processes: bool = True) -> Iterator[Client]:
    """A Dask client on ``scheduler`` (an address, or ``local:N``), closed on exit with any local cluster.

    ``processes``: for ``local:N``, worker processes (the default) or threads in this process (quick to
    start, for tests). Raises MissingDependency without Dask, SitrepError when no cluster answers.
    """
    import_optional("distributed", "dask")  # MissingDependency, with the fix, when Dask is not installed
    target = parse_scheduler(scheduler)
    cluster: LocalCluster | None = None
    address: str | LocalCluster
    if isinstance(target, int):
        address = cluster = _local_cluster(target, processes)
    else:
        address = target
    try:
        client = _client(address)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def stream(
    items: Iterable[Article | InputError], client: Client, language: str = "en", in_flight: int | None = None,
    model: str | None = None, classifier: str = "rules",
) -> Iterator[Analysis | InputError]:
    """Analyse a stream of articles on the cluster; the same results, in the same order, as one process.

    ``in_flight``: batches pending at once (default: ``IN_FLIGHT_PER_WORKER`` per worker connected now).
    """
    if in_flight is None:
        in_flight = IN_FLIGHT_PER_WORKER * max(len(client.scheduler_info()["workers"]), 1)

    def submit(articles: list[Article]) -> Callable[[], Results]:
        return client.submit(_analyse_on_worker, language, articles, model, classifier, pure=False).result

    yield from ordered_batches(items, submit, in_flight)


def _analyse_on_worker(language: str, articles: list[Article], model: str | None = None,
                       classifier: str = "rules") -> Results:
    """The task each worker runs: one batch, the models loaded on the worker's first batch; an article
    whose analysis fails comes back as its ``AnalysisError`` (``pipeline.analyse_articles``).

    ``model``: the path of a ``sitrep train`` classifier, which the workers must be able to read;
    ``classifier``: one of ``pipeline.CLASSIFIERS`` (``embeddings`` needs the extra on the workers).
    """
    with _MODELS_LOCK:
        return analyse_articles(language, articles, model, classifier)


def _local_cluster(workers: int, processes: bool) -> LocalCluster:
    """A LocalCluster of single-threaded workers, quiet below errors, its web server on any free port."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                    dashboard_address=":0", silence_logs=logging.ERROR)


def _client(address: str | LocalCluster) -> Client:
    """A client that has seen at least one worker; SitrepError naming the address otherwise."""
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise SitrepError(f"Cannot reach the Dask scheduler at {address}: {err}. Start one with "
                          "`dask scheduler` (and workers with `dask worker ADDRESS --nthreads 1`), "
                          "or use local:N") from err
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as err:
        client.close()
        raise SitrepError(f"The Dask scheduler at {address} has no workers after {CONNECT_TIMEOUT_S} s. "
                          "Start some with `dask worker ADDRESS --nthreads 1`") from err
    return client

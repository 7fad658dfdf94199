"""The fetcher of ``sitrep watch`` against a server on localhost that the tests start (pytest-httpserver):
slow answers and timeouts, redirects, oversized and malformed bodies, 304s, retries with backoff,
robots.txt, the least delay between two requests to one host, gzip, and waits cut short by ``stop``."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sitrep.fetch import MAX_REDIRECTS, MAX_RETRY_AFTER_S, USER_AGENT, Fetcher, FetchError, Stopped


class FakeTime:
    """A clock that only ``sleep`` moves; the waits asked for are kept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def fetcher(**settings: object) -> Fetcher:
    return Fetcher(**{"delay": 0.0, "backoff": 0.0, "retries": 0, "timeout": 5.0, **settings})  # type: ignore[arg-type]


@pytest.fixture
def server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n",
                                                               content_type="text/plain")
    yield httpserver


def requests_to(server: HTTPServer, path: str) -> list[Request]:
    return [request for request, _ in server.log if request.path == path]


def test_a_slow_answer_within_the_timeout_is_read_and_one_beyond_it_is_retried_then_an_error(
        server: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(float(request.args.get("s", "0")))
        return Response("late but here", content_type="text/plain")

    server.expect_request("/slow").respond_with_handler(slow)
    assert fetcher(timeout=5.0).get(server.url_for("/slow?s=0.3")).content == b"late but here"
    waits: list[float] = []
    with pytest.raises(FetchError) as caught:
        fetcher(timeout=0.2, retries=1, sleep=waits.append).get(server.url_for("/slow?s=1"))
    assert "Timeout" in caught.value.reason and "after 2 attempts" in caught.value.reason
    assert caught.value.url.endswith("/slow?s=1") and len(waits) == 1


def test_redirects_are_followed_to_the_final_url_and_a_loop_is_an_error(server: HTTPServer) -> None:
    server.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/here"})
    server.expect_request("/here").respond_with_data("arrived", content_type="text/plain")
    server.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    response = fetcher().get(server.url_for("/moved"))
    assert response.content == b"arrived" and response.url == server.url_for("/here")
    with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects"):
        fetcher().get(server.url_for("/loop"))
    assert len(requests_to(server, "/loop")) == MAX_REDIRECTS + 1


def test_a_body_over_the_limit_is_refused_declared_streamed_or_compressed(server: HTTPServer) -> None:
    server.expect_request("/declared").respond_with_data(b"x" * 5000)  # with a Content-Length

    def streamed(request: Request) -> Response:  # chunked: no Content-Length to refuse it by
        return Response((b"y" * 1000 for _ in range(5)), content_type="text/plain")

    server.expect_request("/streamed").respond_with_handler(streamed)
    bomb = gzip.compress(b"<rss>" + b" " * 1_000_000)
    assert len(bomb) < 4096
    server.expect_request("/bomb").respond_with_data(bomb, content_type="text/xml",
                                                     headers={"Content-Encoding": "gzip"})
    small = fetcher(max_bytes=4096)
    for path in ("/declared", "/streamed", "/bomb"):
        with pytest.raises(FetchError, match="larger than the 4096 bytes limit"):
            small.get(server.url_for(path))
    assert fetcher(max_bytes=5000).get(server.url_for("/streamed")).content == b"y" * 5000


def test_a_body_that_cannot_be_decoded_is_an_error(server: HTTPServer) -> None:
    server.expect_request("/bad").respond_with_data(b"this is not gzip at all", content_type="text/xml",
                                                    headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="cannot be decoded"):
        fetcher().get(server.url_for("/bad"))


def test_gzip_is_asked_for_and_read(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(gzip.compress(b"<rss>compressed</rss>"),
                                                     content_type="application/rss+xml; charset=utf-8",
                                                     headers={"Content-Encoding": "gzip"})
    response = fetcher().get(server.url_for("/feed"))
    assert response.content == b"<rss>compressed</rss>" and response.content_type == "application/rss+xml"
    (request,) = requests_to(server, "/feed")
    assert "gzip" in request.headers["Accept-Encoding"] and request.headers["User-Agent"] == USER_AGENT


def test_validators_are_sent_back_and_a_304_has_no_body(server: HTTPServer) -> None:
    stamp = "Tue, 05 Mar 2024 10:00:00 GMT"

    def conditional(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304, headers={"Last-Modified": stamp})
        return Response("<rss/>", content_type="text/xml", headers={"Last-Modified": stamp})

    server.expect_request("/feed").respond_with_handler(conditional)
    client = fetcher()
    first = client.get(server.url_for("/feed"))
    assert not first.not_modified and first.last_modified == stamp and first.etag is None
    second = client.get(server.url_for("/feed"), last_modified=first.last_modified, etag='"e1"')
    assert second.not_modified and second.content == b"" and second.status == 304
    assert requests_to(server, "/feed")[-1].headers["If-None-Match"] == '"e1"'


def test_retries_back_off_exponentially_with_jitter_then_give_up(server: HTTPServer) -> None:
    server.expect_request("/down").respond_with_data("busy", status=503)
    server.expect_request("/gone").respond_with_data("no", status=404)
    waits: list[float] = []
    client = fetcher(backoff=1.0, retries=3, sleep=waits.append)
    with pytest.raises(FetchError, match=r"HTTP 503 \(after 4 attempts\)"):
        client.get(server.url_for("/down"))
    assert len(requests_to(server, "/down")) == 4 and len(waits) == 3
    for n, wait in enumerate(waits):  # 1 x 2^n seconds plus up to 1 s of jitter
        assert 2 ** n <= wait <= 2 ** n + 1
    with pytest.raises(FetchError, match="HTTP 404"):  # a client error is not retried
        client.get(server.url_for("/gone"))
    assert len(requests_to(server, "/gone")) == 1 and len(waits) == 3


def test_a_retry_after_beyond_the_longest_wait_is_not_sat_out(server: HTTPServer) -> None:
    server.expect_oneshot_request("/x").respond_with_data(
        "", status=429, headers={"Retry-After": str(int(MAX_RETRY_AFTER_S) * 10)})
    server.expect_request("/x").respond_with_data("ok")
    waits: list[float] = []
    assert fetcher(backoff=1.0, retries=1, sleep=waits.append).get(server.url_for("/x")).content == b"ok"
    assert len(waits) == 1 and 1 <= waits[0] <= 2  # the backoff instead


def test_robots_txt_is_read_once_per_host_and_honoured_for_our_agent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: sitrep\nDisallow: /wire/\n\nUser-agent: *\nDisallow:\n", content_type="text/plain")
    httpserver.expect_request("/wire/1").respond_with_data("story")
    httpserver.expect_request("/open/1").respond_with_data("story")
    client = fetcher()
    with pytest.raises(FetchError, match=r"disallowed by the site's robots\.txt"):
        client.get(httpserver.url_for("/wire/1"))
    assert client.get(httpserver.url_for("/open/1")).content == b"story"
    assert fetcher(user_agent="other-reader/1.0").get(httpserver.url_for("/wire/1")).content == b"story"
    assert len(requests_to(httpserver, "/robots.txt")) == 2  # once per client and host
    assert len(requests_to(httpserver, "/wire/1")) == 1  # by the other agent only


def test_a_missing_robots_txt_allows_and_one_that_fails_forbids_until_it_is_read(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data("story")
    httpserver.expect_oneshot_request("/robots.txt").respond_with_data("oops", status=500)
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    client = fetcher()
    with pytest.raises(FetchError, match=r"robots.txt cannot be read \(HTTP 500\)"):
        client.get(httpserver.url_for("/page"))
    assert not requests_to(httpserver, "/page")
    assert client.get(httpserver.url_for("/page")).content == b"story"  # read again: missing, so allowed


def test_two_requests_to_one_host_are_at_least_delay_apart_and_other_hosts_do_not_wait(
        server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data("a")
    fake = FakeTime()
    client = fetcher(delay=5.0, sleep=fake.sleep, clock=fake.clock)
    client.get(server.url_for("/a"))  # robots.txt, then /a: one wait of the delay between them
    assert fake.waits == [5.0]
    fake.now += 2.0
    client.get(server.url_for("/a"))
    assert fake.waits == [5.0, 3.0]  # what is left of the delay
    other = server.url_for("/a").replace("localhost", "127.0.0.1")
    assert other != server.url_for("/a")
    fake.waits.clear()
    client.get(other)  # another host name: its own robots.txt, then /a, the delay between those only
    assert fake.waits == [5.0]


def test_a_stop_ends_a_wait_at_once_and_no_request_is_begun(server: HTTPServer) -> None:
    stop = threading.Event()

    def busy(request: Request) -> Response:
        stop.set()  # told to stop while the first answer is on its way: the backoff that follows is cut short
        return Response("busy", status=503)

    server.expect_request("/down").respond_with_handler(busy)
    client = fetcher(backoff=60.0, retries=3, stop=stop)
    with pytest.raises(Stopped):
        client.get(server.url_for("/down"))  # the first backoff (60 s or more) is cut short
    assert len(requests_to(server, "/down")) == 1
    with pytest.raises(Stopped):
        client.get(server.url_for("/down"))
    assert len(requests_to(server, "/down")) == 1

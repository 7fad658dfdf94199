"""Reading inputs into articles: every kind of input, and every way an input can be bad."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from sitrep import read
from sitrep.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    MalformedRecord,
    OversizedInput,
    UnreadableInput,
)
from sitrep.models import Article
from sitrep.read import read_inputs

DATA = Path(__file__).parent / "data" / "read"


def read_all(*inputs: str | Path, published: date | None = None) -> list[Article | InputError]:
    return list(read_inputs([str(i) for i in inputs], published=published))


def only_article(*inputs: str | Path, published: date | None = None) -> Article:
    (result,) = read_all(*inputs, published=published)
    assert isinstance(result, Article), result
    return result


def only_error(*inputs: str | Path) -> InputError:
    (result,) = read_all(*inputs)
    assert isinstance(result, InputError), result
    return result


# -- plain text ----------------------------------------------------------------------------------


def test_text_file_is_kept_exactly_with_dateline_and_stable_id() -> None:
    path = DATA / "damascus_2017-04-05.txt"
    article = only_article(path)
    assert article.text == path.read_text(encoding="utf-8")
    assert article.published == date(2017, 4, 5)
    assert re.fullmatch(r"damascus_2017-04-05-[0-9a-f]{8}", article.id)
    assert only_article(path).id == article.id
    assert article.language == "en"


def test_leading_bom_is_the_only_change_to_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff  Gunmen attacked a convoy.\n\n".encode())
    assert only_article(path).text == "  Gunmen attacked a convoy.\n\n"


def test_utf16_file_with_its_mark_is_text(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Clashes in Goma.".encode("utf-16"))
    assert only_article(path).text == "Clashes in Goma."


def test_cp1252_file_is_decoded_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sitrep.read"):
        article = only_article(DATA / "cp1252.txt")
    assert article.text.startswith("Café owners in Aleppo said “the shelling never stopped”")
    assert article.published == date(2024, 12, 2)
    assert any("cp1252.txt" in r.getMessage() and "cp1252" in r.getMessage() for r in caplog.records)


def test_explicitly_named_file_with_other_extension_is_text() -> None:
    assert only_article(DATA / "notes.md").text.startswith("notes for the maintainers")


# -- publication dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, expected",
    [
        ("KABUL, Wed 05 Apr 2017 - A bomb exploded", date(2017, 4, 5)),
        ("April 5, 2017 - A bomb exploded", date(2017, 4, 5)),
        ("Sept. 14th 2019: Drones struck", date(2019, 9, 14)),
        ("GOMA (5 April 2017) - Fighting resumed", date(2017, 4, 5)),
        ("Posted 2017-04-05 by the desk. Fighting resumed", date(2017, 4, 5)),
        ("Saturday November 30 - Fighters entered Aleppo", None),
        ("In May 2017 fighting resumed", None),
        ("Fighting resumed on 31 February 2017", None),
    ],
)
def test_dateline_in_the_opening(tmp_path: Path, opening: str, expected: date | None) -> None:
    path = tmp_path / "story.txt"
    path.write_text(opening + " near the airport.", encoding="utf-8")
    assert only_article(path).published == expected


def test_date_far_into_the_text_is_not_a_dateline(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Fighting resumed. " * 30 + "It began on 5 April 2017.", encoding="utf-8")
    assert only_article(path).published is None


def test_published_argument_only_when_nothing_else_says() -> None:
    fallback = date(2024, 11, 30)
    assert only_article(DATA / "no_year.txt", published=fallback).published == fallback
    assert only_article(DATA / "no_year.txt").published is None
    assert only_article(DATA / "damascus_2017-04-05.txt", published=fallback).published == date(2017, 4, 5)


# -- HTML ----------------------------------------------------------------------------------------


def test_html_page_main_text_and_metadata() -> None:
    article = only_article(DATA / "page.html")
    assert article.title == "Rebels enter Aleppo"
    assert article.published == date(2024, 11, 30)
    assert article.outlet == "Example News"
    assert article.url == "https://news.example.org/2024/11/30/aleppo"
    assert "led by Hayat Tahrir al-Sham entered the city of Aleppo" in article.text
    assert "Copyright" not in article.text
    assert "Home" not in article.text
    assert re.fullmatch(r"page-[0-9a-f]{8}", article.id)


def test_html_page_without_main_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>Nothing</title></head><body>  </body></html>", encoding="utf-8")
    error = only_error(path)
    assert isinstance(error, EmptyInput)
    assert error.source == str(path)


SPLIT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Rebels shell market in Beni</title>
<meta property="article:published_time" content="2023-08-14T09:00:00+01:00"></head>
<body><div class="wrap">
<div class="lead-para"><p>Rebel artillery hit the central market of Beni on Saturday morning, traders said.</p></div>
<div class="promo">Subscribe now</div>
<aside class="more"><h3>More from this region</h3><ul>
<li><a href="/x">Floods cut the road to Butembo</a></li><li><a href="/y">Governor visits Bunia hospital</a></li>
</ul></aside>
<div class="article-body-2"><p>A local health official said eight traders were killed and a dozen more
were taken to hospital with shrapnel wounds.</p></div>
<div class="article-body-3"><p>The rebel group has not commented on the shelling, which followed a week of
heavy fighting in the hills.</p></div>
</div></body></html>
"""


def test_html_body_split_across_blocks_keeps_page_order(tmp_path: Path) -> None:
    path = tmp_path / "split.html"
    path.write_text(SPLIT_PAGE, encoding="utf-8")
    article = only_article(path)
    lines = article.text.split("\n")
    assert [line.split()[0] for line in lines] == ["Rebel", "A", "The"]
    assert lines[1].endswith("shrapnel wounds.")
    assert "Butembo" not in article.text and "Subscribe" not in article.text
    assert article.published == date(2023, 8, 14)


SCRIPT = '<script>var promo = {"from": "2026-02-01", "until": "2026-02-20", "built": "2026-01-30T10:00:00Z"};</script>'
STORY = (
    "<p>Authorities imposed a curfew in Jos on Wednesday after youths burned a police post, the state "
    "government said.</p><p>Shops stayed closed and the streets were empty, and traders said they feared "
    "more trouble in the coming days.</p><p>The governor appealed for calm in a broadcast and said security "
    "forces would patrol the town overnight.</p>"
)


@pytest.mark.parametrize(
    ("head", "byline", "footer", "expected"),
    [
        (SCRIPT, "<p>By Musa Ali | 12 October 2023</p>", "&copy; 2026 Plateau Times", date(2023, 10, 12)),
        (SCRIPT, "", "&copy; 2026 Plateau Times", None),
        ("", "", "Copyright 2026 Plateau Times", None),
        (SCRIPT + '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
         '"2023-10-12T08:00:00+01:00", "dateModified": "2023-10-20T09:00:00+01:00"}</script>',
         "", "", date(2023, 10, 12)),
    ],
)
def test_html_dates_in_code_and_copyright_lines_are_not_the_publication_date(
    tmp_path: Path, head: str, byline: str, footer: str, expected: date | None
) -> None:
    path = tmp_path / "curfew.html"
    path.write_text(
        f"<html><head><title>Curfew in Jos</title>{head}</head><body><article><h1>Curfew in Jos</h1>"
        f"{byline}{STORY}</article><footer>{footer}</footer></body></html>",
        encoding="utf-8",
    )
    assert only_article(path).published == expected
    fallback = date(2023, 10, 13)
    assert only_article(path, published=fallback).published == (expected or fallback)


# -- feeds ---------------------------------------------------------------------------------------


def test_rss_items_become_articles_with_their_dates() -> None:
    first, second = read_all(DATA / "feed.rss")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "Shelling kills three in Donetsk"
    assert first.text == (
        "Shelling kills three in Donetsk\n\n"
        "Three civilians were killed when shells hit a market in Donetsk, officials said."
    )
    assert first.published == date(2024, 11, 30)  # the item's own day, not UTC's 1 December
    assert first.url == "https://wire.example.org/a/1"
    assert first.outlet == "Example Wire"
    assert first.language == "en"
    assert second.published == date(2024, 11, 29)
    assert "&" in second.text and "&amp;" not in second.text
    assert first.id != second.id


def test_atom_entries_use_content_and_dates() -> None:
    first, second = read_all(DATA / "feed.atom")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == (
        "Clashes near Goma\n\nM23 fighters clashed with the army north of Goma on Sunday.\n"
        "At least five soldiers died."
    )
    assert first.published == date(2024, 12, 1)
    assert first.outlet == "Example Monitor"
    assert second.text == "Ceasefire announced\n\nThe two sides agreed a 72-hour ceasefire."
    assert second.published == date(2024, 12, 2)  # from <updated>: it has no <published>


def test_feed_text_escaped_twice_or_in_an_escaped_cdata_section_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "escaped.rss"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Desk</title>'
        "<item><title>Kidal</title><guid>1</guid>"
        "<description>&lt;![CDATA[Troops repelled an assault on the camp at Kidal on Friday.]]&gt;"
        "</description></item>"
        "<item><title>Bamako</title><guid>2</guid><description>&amp;lt;p&amp;gt;Two &amp;lt;em&amp;gt;"
        "marchers&amp;lt;/em&amp;gt; were hurt in Bamako.&amp;lt;/p&amp;gt;&amp;lt;p&amp;gt;Police "
        "made arrests.&amp;lt;/p&amp;gt;</description></item>"
        "<item><title>Djugu</title><guid>3</guid><description><![CDATA[<p>Militiamen burned huts in "
        "Djugu; turnout was <50% &amp; falling.</p>]]></description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    texts = [a.text for a in read_all(path) if isinstance(a, Article)]
    assert texts == [
        "Kidal\n\nTroops repelled an assault on the camp at Kidal on Friday.",
        "Bamako\n\nTwo marchers were hurt in Bamako.\nPolice made arrests.",
        "Djugu\n\nMilitiamen burned huts in Djugu; turnout was <50% & falling.",
    ]


def test_atom_published_is_used_even_when_updated_comes_first(tmp_path: Path) -> None:
    path = tmp_path / "late.atom"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Obs</title>'
        "<id>urn:x</id><updated>2023-03-20T05:00:00Z</updated><entry><title>Raid</title><id>urn:x:1</id>"
        "<updated>2023-03-20T04:00:00Z</updated><published>2023-03-09T22:30:00-03:00</published>"
        "<summary>Soldiers raided a camp on Tuesday.</summary></entry></feed>",
        encoding="utf-8",
    )
    assert only_article(path).published == date(2023, 3, 9)  # the local day, not UTC's 10 March


@pytest.mark.parametrize(
    ("stamp", "local_day"),
    [("Tue, 07 Mar 2023 22:15:00 -0600", date(2023, 3, 7)), ("Wed, 08 Mar 2023 00:45:00 +0530", date(2023, 3, 8)),
     ("Wed, 08 Mar 2023 00:45:00 GMT", date(2023, 3, 8))],
)
def test_rss_date_is_the_local_day_of_its_offset(tmp_path: Path, stamp: str, local_day: date) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(
        f'<rss version="2.0"><channel><title>W</title><item><title>Clash</title><guid>c</guid>'
        f"<pubDate>{stamp}</pubDate><description>Clashes broke out yesterday.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    assert only_article(path).published == local_day


def test_feed_item_ids_do_not_depend_on_the_file_name(tmp_path: Path) -> None:
    copy = tmp_path / "snapshot-2.rss"
    shutil.copy(DATA / "feed.rss", copy)
    ids = [a.id for a in read_all(DATA / "feed.rss") if isinstance(a, Article)]
    assert ids == [a.id for a in read_all(copy) if isinstance(a, Article)]


def test_file_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<rss><channel><title>x</title><item><title>unclosed", encoding="utf-8")
    assert isinstance(only_error(path), UnreadableInput | EmptyInput)


# -- JSON Lines ----------------------------------------------------------------------------------


def test_jsonl_records_with_a_malformed_line_named() -> None:
    results = read_all(DATA / "articles.jsonl")
    assert [type(r) for r in results] == [Article, MalformedRecord, MalformedRecord, Article]
    first, bad_json, no_text, last = results
    assert isinstance(first, Article) and isinstance(last, Article)
    assert first.id == "17"
    assert first.text == "  Gunmen abducted 20 villagers in Zamfara.\n"
    assert (first.title, first.url, first.outlet) == ("Abduction", "https://e.example/17", "Daily Example")
    assert first.published == date(2024, 11, 28)
    assert str(bad_json).startswith(f"{DATA / 'articles.jsonl'}:2: not valid JSON")
    assert isinstance(no_text, InputError) and no_text.source.endswith("articles.jsonl:4")
    assert re.fullmatch(r"articles-[0-9a-f]{8}", last.id)
    assert last.published == date(2024, 12, 3)
    assert last.language == "en"


@pytest.mark.parametrize(("url", "outlet"), [
    ("https://www.dailyexample.org/world/raid.html", "dailyexample.org"),
    ("http://news.example.net:8080/a?id=4", "news.example.net"),
    ("not an address", None),
    (None, None),
])
def test_a_record_without_an_outlet_takes_its_sites_name(tmp_path: Path, url: str | None, outlet: str | None) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "Gunmen raided a market.", "url": url}) + "\n", encoding="utf-8")
    (article,) = read_all(path)
    assert isinstance(article, Article) and article.outlet == outlet


def test_jsonl_unreadable_published_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Clashes.", "published": "last week"}\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="sitrep.read"):
        article = only_article(path, published=date(2024, 1, 2))
    assert article.published == date(2024, 1, 2)
    assert "a.jsonl:1" in caplog.text


def test_jsonl_line_over_the_limit_is_refused_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 64)
    path = tmp_path / "big.jsonl"
    path.write_text('{"text": "' + "x" * 200 + '"}\n{"text": "Short one."}\n', encoding="utf-8")
    error, article = read_all(path)
    assert isinstance(error, OversizedInput) and error.source == f"{path}:1"
    assert "64 bytes limit" in str(error)
    assert isinstance(article, Article) and article.text == "Short one."


def test_reading_is_lazy() -> None:
    results = read_inputs(["no-such-file.txt"])
    assert isinstance(next(results), UnreadableInput)


# -- bad inputs ----------------------------------------------------------------------------------


def test_binary_file_is_named() -> None:
    error = only_error(DATA / "image.png")
    assert isinstance(error, BinaryInput)
    assert str(error).startswith(str(DATA / "image.png"))


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_file_is_named(name: str) -> None:
    error = only_error(DATA / name)
    assert isinstance(error, EmptyInput)
    assert error.source == str(DATA / name)


def test_oversized_file_names_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 100)
    path = tmp_path / "long.txt"
    path.write_text("word " * 50, encoding="utf-8")
    error = only_error(path)
    assert isinstance(error, OversizedInput)
    assert str(error) == f"{path}: larger than the 100 bytes limit for one document (250 bytes)"


def test_default_limit_is_stated_in_mebibytes(tmp_path: Path) -> None:
    assert "20 MiB limit" in str(read._oversized("x"))


def test_missing_file_is_unreadable() -> None:
    error = only_error("no/such/file.txt")
    assert isinstance(error, UnreadableInput)
    assert str(error) == "no/such/file.txt: no such file or directory"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_file_without_permission_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text", encoding="utf-8")
    path.chmod(0)
    assert isinstance(only_error(path), UnreadableInput)


def test_one_bad_input_stops_nothing() -> None:
    results = read_all(DATA / "empty.txt", "missing.txt", DATA / "damascus_2017-04-05.txt")
    assert [type(r) for r in results] == [EmptyInput, UnreadableInput, Article]


# -- folders -------------------------------------------------------------------------------------


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second story.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First story.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "third", "text": "Third story."}\n', encoding="utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Not an article.", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\x00\x00")
    texts = [a.text for a in read_all(tmp_path) if isinstance(a, Article)]
    assert texts == ["First story.", "Second story.", "Third story."]


def test_skipped_kinds_of_file_are_named_once_per_folder(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "story.txt").write_text("A story.", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub" / "annex.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub" / "memo.docx").write_bytes(b"PK")
    (tmp_path / "README").write_text("Read me.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="sitrep.read"):
        results = read_all(tmp_path)
    assert [type(r) for r in results] == [Article]
    (warning,) = caplog.records
    assert warning.getMessage() == (f"{tmp_path}: skipped 2 .pdf files, 1 .docx file, 1 file without extension: "
                                    "sitrep reads only .atom, .htm, .html, .jsonl, .rss, .txt, .xml files")


def test_a_folder_with_nothing_to_read_is_an_error_naming_what_it_skipped(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    error = only_error(tmp_path)
    assert isinstance(error, EmptyInput)
    assert str(error).startswith(f"{tmp_path}: no file sitrep reads (") and str(error).endswith("skipped 1 .pdf file")


def test_count_items_without_reading(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Two."}\n\n{"text": "Three."}\n{bad\n', encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    assert read.count_items([str(tmp_path)]) == 4 == len(read_all(tmp_path))
    assert read.count_items([str(tmp_path), str(tmp_path / "missing.txt")]) == 5
    feed = DATA / "feed.rss"
    assert read.count_items([str(feed)]) == len(read_all(feed)) > 1
    assert read.count_items(["-"]) is None  # standard input can be read only once


def test_fixture_folder_reads_known_files_only() -> None:
    results = read_all(DATA)
    sources = {r.source.split(":")[0] for r in results if isinstance(r, InputError)}
    assert sources == {str(DATA / n) for n in ("articles.jsonl", "blank.txt", "empty.txt")}
    articles = [r for r in results if isinstance(r, Article)]
    assert not any(a.text.startswith("notes for the maintainers") for a in articles)
    assert len(articles) == 2 + 4 + 1 + 1 + 1 + 1  # jsonl, feeds, cp1252, damascus, no_year, html
    assert sum(1 for a in articles if a.title == "Rebels enter Aleppo") == 1


# -- standard input ------------------------------------------------------------------------------


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b'{"id": "a", "text": "One."}\n\n{"id": "b", "text": "Two."}\n')
    results = read_all("-")
    assert [(a.id, a.text) for a in results if isinstance(a, Article)] == [("a", "One."), ("b", "Two.")]


def test_stdin_text_when_a_line_is_not_a_record(monkeypatch: pytest.MonkeyPatch) -> None:
    data = '{"text": "looks like a record"}\nbut this line is prose.\n'
    fake_stdin(monkeypatch, data.encode())
    article = only_article("-", published=date(2024, 5, 1))
    assert article.text == data
    assert article.id.startswith("stdin-")
    assert article.published == date(2024, 5, 1)


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"  \n")
    error = only_error("-")
    assert isinstance(error, EmptyInput) and error.source == "<stdin>"

"""Throughput of the whole pipeline against the bare spaCy pass over the same texts, same model.

    python bench/throughput.py --shared ../shared [--limit 300] [--workers 2] [--repeat 2]

Prints and records in docs/PERFORMANCE.md: articles/s and words/s, the ratio pipeline / bare spaCy
(start-up excluded), time per stage, start-up time of `sitrep extract` on a tiny article, time to load the
actor knowledge base, peak memory, and the speed-up of --workers N over one process with identical output.

The figure a user waits for is ``command_over_spacy``: the whole `sitrep extract FILE.jsonl --format jsonl`
command (a separate process: reading, analysing, writing) on the first N lines of the corpus, minus the
same command on one tiny article (start-up: the interpreter, the models and the knowledge bases), over a
bare ``nlp.pipe`` of the same texts with the same spaCy model (no sitrep component added), in this run.
The in-process ``pipeline_over_spacy`` leaves out reading, writing and the progress bar.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitrep import nlp
from sitrep.extraction.events import extract_events
from sitrep.models import Article
from sitrep.pipeline import Analysis, Pipeline
from sitrep.read import read_inputs
from sitrep.resolve.actors import ActorBase, _read_data

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "PERFORMANCE.md"


def load(corpus: Path, limit: int) -> list[Article]:
    articles = []
    for item in read_inputs([str(corpus)]):
        if isinstance(item, Article):
            articles.append(item)
        if len(articles) == limit:
            break
    return articles


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def stages(articles: list[Article]) -> dict[str, float]:
    """Seconds per stage, each stage run on its own over the same parsed documents."""
    pipe = nlp.pipeline("en")
    docs, spacy_s = timed(lambda: list(pipe.pipe(a.text for a in articles)))
    pipeline = Pipeline()
    mentions, mention_s = timed(lambda: [pipeline._mentions(a, d) for a, d in zip(articles, docs, strict=True)])
    resolved, resolve_s = timed(lambda: [pipeline._resolve(m) for m in mentions])
    _, event_s = timed(lambda: [extract_events(r) for r in resolved])
    return {"spacy": spacy_s, "mentions": mention_s, "resolve": resolve_s, "events": event_s}


def whole(articles: list[Article], workers: int) -> tuple[list[str], float]:
    def run() -> list[str]:
        out = []
        for result in Pipeline().stream(articles, workers=workers):
            assert isinstance(result, Analysis)
            out += [json.dumps(e.to_dict(), sort_keys=True) for e in result.events]
        return out

    return timed(run)


SITREP = ROOT / ".venv" / "bin" / "sitrep"


def startup() -> float:
    """Seconds for `sitrep extract` on one tiny article, models loaded from scratch."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("Gunmen killed two farmers near Kukawa on Monday.\n")
    _, seconds = timed(subprocess.run, [str(SITREP), "extract", f.name, "--published", "2024-01-10"])
    Path(f.name).unlink()
    return seconds


def whole_command(lines: list[str]) -> tuple[Seconds, Seconds]:
    """`sitrep extract FILE.jsonl --format jsonl` on these JSONL lines, and on one tiny article (its
    start-up), each a process of its own, output written to a file as a user would: wall and CPU seconds."""
    def run(records: list[str]) -> Seconds:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "articles.jsonl"
            path.write_text("".join(records), encoding="utf-8")
            with open(Path(tmp) / "events.jsonl", "w", encoding="utf-8") as out:
                cpu = _children_cpu()
                _, wall = timed(subprocess.run, [str(SITREP), "extract", str(path), "--format", "jsonl"],
                                stdout=out, stderr=subprocess.DEVNULL, check=True)
                return Seconds(wall, _children_cpu() - cpu)

    tiny = json.dumps({"id": "tiny", "text": "Gunmen killed two farmers near Kukawa on Monday.",
                       "published": "2024-01-10"}) + "\n"
    return run(lines), run([tiny])


def bare_spacy(articles: list[Article], language: str = "en") -> Seconds:
    """A bare ``nlp.pipe`` over the articles' texts: the spaCy model sitrep loads, as spaCy ships it (no
    sitrep component), loaded before the clock starts; wall and CPU seconds."""
    import spacy

    model = spacy.load(nlp.model_name(language))
    list(model.pipe(["Warm up."]))
    cpu = time.process_time()
    _, wall = timed(lambda: [None for _ in model.pipe(a.text for a in articles)])
    return Seconds(wall, time.process_time() - cpu)


@dataclass(frozen=True)
class Seconds:
    wall: float
    """Elapsed seconds: what a user waits for."""
    cpu: float
    """User and system CPU seconds of the process: steadier than wall time on a machine others share."""


def fastest(runs: list[Seconds]) -> Seconds:
    """The least wall and the least CPU time of several runs: what other processes disturbed least."""
    return Seconds(min(r.wall for r in runs), min(r.cpu for r in runs))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def actor_base_load() -> float:
    """Seconds to read data/actors.yaml and build the actor knowledge base, in this process, from cold."""
    _, seconds = timed(lambda: ActorBase(_read_data()))
    return seconds


PEAK_OF_CHILD = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs a command and prints its peak resident size (KiB). It runs in a small interpreter of its own:
Linux gives a child the peak of the process it was forked from (kept across exec), so a command
started from this bench process, which holds spaCy's models, would report at least this one's size."""


def peak_memory_mb(articles: list[Article]) -> float:
    """Peak resident memory of one `sitrep extract` process reading these articles as a stream."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for a in articles:
            f.write(json.dumps({"id": a.id, "text": a.text}) + "\n")
    try:
        out = subprocess.run([sys.executable, "-c", PEAK_OF_CHILD, str(SITREP), "extract", f.name, "-q"],
                             capture_output=True, text=True, check=True).stdout
    finally:
        Path(f.name).unlink()
    return int(out) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of the whole command, its start-up and the bare pass; the fastest of each counts")
    args = parser.parse_args()
    corpus = args.shared / "data" / "corpus" / "news_mix.jsonl"
    if not corpus.exists():
        print(f"no benchmark corpus at {corpus}", file=sys.stderr)
        return 2
    base_s = actor_base_load()
    start_s = startup()
    articles = load(corpus, args.limit)
    with open(corpus, encoding="utf-8") as f:
        lines = [line for line, _ in zip(f, range(args.limit), strict=False)]
    runs = [(*whole_command(lines), bare_spacy(articles)) for _ in range(max(args.repeat, 1))]
    command_s, command_startup_s, bare_s = (fastest([run[i] for run in runs]) for i in range(3))
    words = sum(len(a.text.split()) for a in articles)
    peak_mb = peak_memory_mb(articles)
    Pipeline().analyse(articles[0])  # load models and knowledge bases outside the timings
    per_stage = stages(articles)
    one, one_s = whole(articles, 1)
    many, many_s = whole(articles, args.workers)
    figures = {
        "articles": len(articles), "words": words,
        "articles_per_s": round(len(articles) / one_s, 1), "words_per_s": round(words / one_s),
        "command_over_spacy": round((command_s.wall - command_startup_s.wall) / bare_s.wall, 2),
        "command_over_spacy_cpu": round((command_s.cpu - command_startup_s.cpu) / bare_s.cpu, 2),
        "command_s": round(command_s.wall, 2), "command_startup_s": round(command_startup_s.wall, 2),
        "bare_spacy_s": round(bare_s.wall, 2),
        "pipeline_over_spacy": round(one_s / per_stage["spacy"], 2),
        "startup_s": round(start_s, 2), "actor_base_load_s": round(base_s, 2),
        "peak_memory_mb_one_process": round(peak_mb),
        f"workers_{args.workers}_speedup": round(one_s / many_s, 2),
        "identical_output": one == many,
        **{f"stage_{k}_s": round(v, 2) for k, v in per_stage.items()},
    }
    print(json.dumps(figures, indent=2))
    REPORT.write_text(render(figures, args) + "\n")
    return 0


def render(figures: dict[str, object], args: argparse.Namespace) -> str:
    lines = ["# Performance", "",
             f"Measured by `make bench` (`python bench/throughput.py --limit {args.limit} --workers {args.workers} "
             f"--repeat {args.repeat}`) on {date.today().isoformat()}, on the first {args.limit} articles of "
             f"`news_mix.jsonl`: one run, the whole command, its start-up and the bare pass the fastest of "
             f"{args.repeat}.",
             "The ratios to the bare spaCy pass (`nlp.pipe` over the same texts, same model, measured in the "
             "same run) are the figures that hold on a noisy machine. `command_over_spacy` is what a user waits "
             f"for: `sitrep extract FILE.jsonl --format jsonl` on those {args.limit} articles as a process of its "
             "own, less the same command on one tiny article (start-up: `command_startup_s`), over the bare "
             "pass (`_cpu`: the same in CPU seconds, which other processes on the machine disturb less); "
             "`pipeline_over_spacy` times `Pipeline.stream` in process, without reading and writing.", "",
             "| figure | value | floor |", "|---|---|---|"]
    lines += [f"| {k} | {v} | {FLOORS.get(k, '')} |" for k, v in figures.items()]
    return "\n".join(lines)


FLOORS = {"command_over_spacy": "<= 1.25", "pipeline_over_spacy": "<= 1.5", "startup_s": "<= 5",
          "actor_base_load_s": "<= 1",
          "peak_memory_mb_one_process": "<= 1536", "workers_2_speedup": ">= 1.6", "identical_output": "True"}
"""The project's floors for these figures, shown beside them."""


if __name__ == "__main__":
    sys.exit(main())

"""Learner model benchmark: the reload after a practice drill, cold and with the per-attempt cache.

Run: ``python -m benchmarks.bench_learner [--attempts N] [--chars N] [--runs N]``. Results go in
docs/training.md ("Reloading the learner model"). A SQLite store holds one simulated trainee
(the virtual typist, band "average") with ``--attempts`` stored copy-typing attempts of
``--chars`` characters each (scored by the engine, as the workstation stores them). Figures
(seconds, median of ``--runs``):

1. cold: ``learner_model`` with an empty cache (every attempt's events read and counted);
2. uncached: ``learner_model(cached=False)`` after one more attempt (what each reload cost before);
3. after one new attempt: the cache warm with the earlier attempts, one attempt stored, then
   ``learner_model`` (what the trainee waits for on the "preparing" screen).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from typingtest.config import Settings, load_thresholds
from typingtest.content.model import CopyPassage
from typingtest.engine.scoring import ANSWER_FIELD, score_attempt
from typingtest.simulate.profiles import BAND_PROFILES
from typingtest.simulate.typist import type_text
from typingtest.store import Store
from typingtest.training.learner import clear_tally_cache, learner_model

__all__ = ["main"]

CID = "BENCH-0001"
PASSAGE = ("Goedemiddag, u spreekt met Anaïs van de klantendienst. Wat kan ik voor u doen? Ik bel over mijn "
           "bestelling van vorige week: de kabel is nog niet geleverd en ik kreeg geen bericht. Mijn klantnummer "
           "is 731905-40 en ik woon in de Kerkstraat 12 in Gent. ")  # fmt: skip


def _text(chars: int) -> str:
    """``chars`` characters of the passage, repeated."""
    return (PASSAGE * (chars // len(PASSAGE) + 1))[:chars].rstrip()


def _add_attempt(store: Store, sid: str, item: CopyPassage, seed: int) -> None:
    """Type ``item`` with the virtual typist and store it scored, as the workstation does."""
    rec = store.begin_attempt(sid, "copy-typing", item.id, False, {"presented": item.text, "target": ANSWER_FIELD})
    att = type_text(item.text, BAND_PROFILES["average"], seed=seed, target=ANSWER_FIELD)
    metrics, verdicts, actions = score_attempt("copy-typing", item, att.log, load_thresholds(Settings()))
    rec.finish(att.log, metrics, verdicts, actions)


def _timed(store: Store, **kwargs: object) -> float:
    t0 = time.perf_counter()
    learner_model(store, CID, **kwargs)  # type: ignore[arg-type]
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    """Print the three timings (seconds) for the trainee store."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attempts", type=int, default=20, help="stored attempts before the new one (default 20)")
    ap.add_argument("--chars", type=int, default=1800, help="characters per attempt (default 1800)")
    ap.add_argument("--runs", type=int, default=3, help="repetitions, the median reported (default 3)")
    args = ap.parse_args(argv)
    item = CopyPassage(id="bench-copy", kind="copy-typing", language="nl", title="bench", path=None, genre="bench",
                       text=_text(args.chars))  # fmt: skip
    cold, uncached, warm = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store(f"sqlite:///{(folder / 'typingtest.sqlite').as_posix()}", folder, folder / "signing.key",
                      workstation="bench")  # fmt: skip
        try:
            store.ensure_candidate(CID, "bench")
            sid = store.start_session(CID, "practice", None, "bench", "nl")
            for n in range(args.attempts):
                _add_attempt(store, sid, item, seed=n)
            for run in range(args.runs):
                clear_tally_cache()
                cold.append(_timed(store))  # fills the cache with the stored attempts
                _add_attempt(store, sid, item, seed=1000 + run)
                uncached.append(_timed(store, cached=False))
                warm.append(_timed(store))
            n_stored = args.attempts + args.runs
        finally:
            store.close()
    print(f"learner_model, SQLite, {args.attempts} attempts of {len(item.text)} characters, "
          f"median of {args.runs} runs (stored at the end: {n_stored})")
    print(f"  cold (cache empty)                 {statistics.median(cold):7.3f} s")
    print(f"  uncached, after one new attempt    {statistics.median(uncached):7.3f} s")
    print(f"  cached, after one new attempt      {statistics.median(warm):7.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

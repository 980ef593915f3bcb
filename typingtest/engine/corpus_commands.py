"""``typingtest corpus``: score research corpora of real keystroke logs.

``typingtest corpus score PATH... --format aalto136m --out FILE.csv [--per sentence|participant]``
reads the files (folders are searched for ``*_keystrokes.txt``), scores every sentence with
the vectorised corpus engine (``typingtest.engine.corpus``) and writes one row per sentence
or per participant. A summary of counts (files, sentences, key presses, malformed rows,
sentences that do not replay exactly to USER_INPUT) goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from typingtest.errors import UserError
from typingtest.ids import inside

if TYPE_CHECKING:  # pandas, pyarrow and the reader load on first use: every CLI command imports this module
    import pandas as pd

    from typingtest.formats import aalto

__all__ = ["FORMATS", "register", "score_corpus", "write_table"]

#: Corpus formats ``--format`` accepts.
FORMATS = ("aalto136m",)
#: Above this many files the progress bar is shown (when stderr is a terminal).
PROGRESS_FILES = 50


def score_corpus(
    paths: Iterable[str | os.PathLike[str]],
    *,
    corpus_format: str = "aalto136m",
    per: str = "sentence",
    skip_bad_files: bool = False,
    progress: bool = False,
    batch_bytes: int = 48 << 20,
    parallel: bool = True,
) -> tuple[pd.DataFrame, aalto.ReadReport]:
    """Read and score a corpus; returns (one row per sentence or participant, read report).

    ``parallel``: read, parse and score chunks of ``batch_bytes`` in two worker processes
    (two cores' worth); a corpus of one chunk is scored in this process.
    """
    import pandas as pd

    from typingtest.engine import corpus
    from typingtest.formats import aalto

    if corpus_format not in FORMATS:
        raise UserError(f"--format: unknown corpus format {corpus_format!r}; known: {', '.join(FORMATS)}")
    if per not in ("sentence", "participant"):
        raise UserError(f"--per: must be 'sentence' or 'participant', got {per!r}")
    files = aalto.find_files(paths)
    report = aalto.ReadReport()
    workers = max(1, min(2, os.cpu_count() or 1)) if parallel else 1
    chunks = _chunks(files, batch_bytes)
    bar = None
    if progress and len(files) > PROGRESS_FILES:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", desc="corpus score", file=sys.stderr, disable=None, leave=False)
    frames: list[pd.DataFrame] = []
    try:
        if workers > 1 and len(chunks) > 1:
            # Processes, not threads: the per-sentence work in Python holds the GIL, and with
            # threads two cores gave 1.3 cores' worth. Each worker reads, parses and scores whole
            # chunks of files; results come back in order, so the rows are those of one pass.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if sys.platform == "linux" else "spawn"  # fork: no re-import of numpy/pandas
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
                futures = [pool.submit(_score_files, chunk, size, skip_bad_files) for chunk, size in chunks]
                try:
                    for (chunk, _), future in zip(chunks, futures, strict=True):
                        frame, found = future.result()
                        report.merge(found)
                        frames.append(frame)
                        if bar is not None:
                            bar.update(len(chunk))
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        else:
            for chunk, size in chunks:
                frame, found = _score_files(chunk, size, skip_bad_files, threads=True)
                report.merge(found)
                frames.append(frame)
                if bar is not None:
                    bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        raise UserError(f"{files[0]}: no key presses could be read from the files given")
    sentences = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if per == "participant":
        return corpus.score_participants(sentences), report
    return sentences, report


#: The read buffer of this process (a worker's), reused from chunk to chunk.
_RING: list[bytearray] = [bytearray(0)]


def _chunks(files: list[Path], batch_bytes: int) -> list[tuple[list[Path], int]]:
    """Files in order, grouped into chunks of about ``batch_bytes`` (a file is never split):
    (files, bytes a buffer needs for them: each file's size and a newline)."""
    chunks: list[tuple[list[Path], int]] = []
    size = 0
    for path in files:
        try:
            n = path.stat().st_size + 1
        except OSError:  # reported by the reader, in its chunk
            n = 0
        if not chunks or (size and size + n > batch_bytes):
            chunks.append(([], 0))
            size = 0
        chunks[-1][0].append(path)
        size += n
        chunks[-1] = (chunks[-1][0], size)
    return chunks


def _score_files(
    files: list[Path], size: int, skip_bad_files: bool, threads: bool = False
) -> tuple[pd.DataFrame, aalto.ReadReport]:
    """Read (into one buffer of ``size`` bytes), parse and score one chunk of files, in a worker
    process or in this one."""
    import pandas as pd

    from typingtest.engine import corpus
    from typingtest.formats import aalto

    report = aalto.ReadReport()
    frames = []
    batches = aalto.iter_raw_batches(files, report, batch_bytes=size + 1, skip_bad_files=skip_bad_files, ring=_RING)
    for raw in batches:
        presses, found = aalto.parse_batch(raw, threads=threads)
        report.merge(found)
        frames.append(corpus.score_sentences(presses))
    if not frames:
        return pd.DataFrame(), report
    return (frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)), report


def write_table(frame: pd.DataFrame, out: Path) -> None:
    """Write a frame as CSV (empty cell = undefined; figures to 6 decimals) or Parquet (by suffix), atomically."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if not out.parent.exists():
        raise UserError(f"{out}: folder {out.parent} does not exist; create it or choose another --out")
    tmp = out.with_name(out.name + ".part")
    inside(out.parent, tmp)  # a .part that links out of the folder is neither written through nor deleted
    parquet = out.suffix.lower() == ".parquet"
    # NaN becomes null: an empty cell. Six decimals keep every figure exact enough (a rate to
    # 1e-6, a time to a microsecond) and make the CSV a third smaller and faster to write.
    table = pa.Table.from_pandas(frame if parquet else frame.round(6), preserve_index=False)
    try:
        if parquet:
            import pyarrow.parquet as pq

            pq.write_table(table, tmp)
        else:
            pa_csv.write_csv(table, tmp, write_options=pa_csv.WriteOptions(quoting_style="needed"))
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"{out}: cannot write: {exc.strerror or exc}") from None


def _score_command(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = Path(args.out)
    frame, report = score_corpus(
        args.paths,
        corpus_format=args.format,
        per=args.per,
        skip_bad_files=args.skip_bad_files,
        progress=not args.quiet,
    )
    if args.per == "sentence":
        exact = int(frame["replays_exactly"].sum())
    else:
        exact = int(frame["sentences_replaying_exactly"].sum())
    write_table(frame, out)
    elapsed = time.perf_counter() - started
    if not args.quiet:
        lines = report.lines()
        not_exact = report.sentences - exact
        share = not_exact / report.sentences if report.sentences else 0.0
        lines.append(
            f"{not_exact} of {report.sentences} sentences ({share:.1%}) do not replay exactly to USER_INPUT "
            "(see column replays_exactly and docs/corpus.md)"
        )
        rate = report.rows / elapsed if elapsed > 0 else float("nan")
        lines.append(f"wrote {out} ({len(frame)} rows, one per {args.per}) in {elapsed:.1f} s ({rate:,.0f} presses/s)")
        for line in lines:
            print(f"typingtest corpus: {line}", file=sys.stderr)
    return 0


def _corpus_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``typingtest corpus`` and its subcommands to the ``typingtest`` parser."""
    p = sub.add_parser(
        "corpus",
        help="score research corpora of real keystroke logs (136M Keystrokes)",
        description="Score research corpora of real keystroke logs.",
    )
    p.set_defaults(func=lambda _args: _corpus_help(p))
    csub = p.add_subparsers(dest="corpus_command", metavar="<corpus command>")
    s = csub.add_parser(
        "score",
        help="speed and error figures per sentence or participant, as CSV",
        description=(
            "Score keystroke log files (folders: every *_keystrokes.txt inside) and write one row per "
            "sentence or per participant. Undefined figures are empty cells. See docs/corpus.md."
        ),
    )
    s.add_argument("paths", nargs="+", metavar="PATH", help="corpus files or folders")
    s.add_argument("--format", choices=FORMATS, default="aalto136m", help="corpus file format (default: aalto136m)")
    s.add_argument("--out", required=True, metavar="FILE", help="output file: .csv (default) or .parquet")
    s.add_argument(
        "--per", choices=("sentence", "participant"), default="sentence", help="one row per ... (default: sentence)"
    )
    s.add_argument(
        "--skip-bad-files",
        action="store_true",
        help="skip (and list) empty or foreign files instead of stopping at the first",
    )
    s.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    s.set_defaults(func=_score_command)


"""Engine benchmark: one 5-minute attempt (about 1,500 keystrokes) with character-level analysis.

Budget (docs/benchmarks.md): <= 20 ms for ``analyze`` on such an attempt, median of runs.

Run: ``.venv/bin/python -m benchmarks.bench_engine [--runs N] [--seed S]``

The attempt is synthetic but realistic: a Dutch passage of ~1,400 characters typed at about
280 key presses a minute, with neighbouring-key substitutions, omissions, doubled keys and
transpositions (about 4 % of characters), most noticed within a few characters and erased with
backspace, about 1 % left in the text. The event log has KEY_DOWN, KEY_UP, TEXT and EDIT rows,
as the workstation records them.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from typingtest.engine import analyze
from typingtest.engine.events import EventKind, empty_log
from typingtest.engine.layouts import get_layout

__all__ = ["main", "make_attempt"]

PASSAGE = (
    "Goedemiddag, u spreekt met de klantendienst van Elektro Vlaanderen. Mijn naam is Sofie, "
    "waarmee kan ik u helpen? De klant belt over een bestelling van een wasmachine die vorige week "
    "geleverd had moeten worden. Volgens ons systeem is de levering uitgesteld omdat het toestel "
    "niet meer in voorraad was in het magazijn van Gent. Ik noteer het klantnummer, de naam en het "
    "adres, en ik controleer of de gegevens kloppen met wat in het dossier staat. De klant vraagt of "
    "de levering nog deze week kan gebeuren, bij voorkeur op donderdag of vrijdag in de voormiddag. "
)


def make_attempt(
    chars: int = 1400, seed: int = 7, error_rate: float = 0.04, corrected: float = 0.75
) -> tuple[str, np.ndarray]:
    """(presented text, event log) of one simulated attempt: ``error_rate`` of the characters
    go wrong, ``corrected`` of those are erased and retyped."""
    rng = np.random.default_rng(seed)
    text = (PASSAGE * (chars // len(PASSAGE) + 1))[:chars]
    layout = get_layout("azerty-be")
    rows: list[tuple[float, int, str]] = []  # (t, kind, text)
    t = 0.0

    def press(ch: str, kind: int) -> None:
        nonlocal t
        t += float(rng.gamma(4.0, 0.215 / 4.0))
        rows.append((t, kind, ch))

    k = 0
    while k < len(text):
        ch = text[k]
        r = rng.random()
        if r < error_rate:  # an error
            kind = rng.integers(4)
            near = layout.neighbours(ch) or [ch]
            if kind == 0:
                typed = [str(rng.choice(near))]
                advance = 1
            elif kind == 1:
                typed = []
                advance = 1
            elif kind == 2:
                typed = [ch, ch]
                advance = 1
            else:
                typed = list(text[k + 1 : k + 2] + ch)
                advance = 2
            if rng.random() < corrected:
                # type the error and a few more characters, then erase back and retype
                extra = int(rng.integers(0, 3))
                burst = typed + list(text[k + advance : k + advance + extra])
                for c in burst:
                    press(c, EventKind.TEXT)
                for _ in burst:
                    press("backspace", EventKind.EDIT)
                for c in text[k : k + advance]:
                    press(c, EventKind.TEXT)
            else:
                for c in typed:
                    press(c, EventKind.TEXT)
            k += advance
        else:
            press(ch, EventKind.TEXT)
            k += 1
    n = len(rows)
    log = empty_log(3 * n)
    i = 0
    for t_press, kind, ch in rows:
        code = 8 if kind == EventKind.EDIT else ord(ch[0])
        log[i] = (t_press, EventKind.KEY_DOWN, code, 0, 0, "", "text", 0, 0)
        log[i + 1] = (t_press + 0.0005, kind, 0, 0, 0, ch, "text", 0, 0)
        log[i + 2] = (t_press + 0.09, EventKind.KEY_UP, code, 0, 0, "", "text", 0, 0)
        i += 3
    log = log[np.argsort(log["t"], kind="stable")]
    return text, log


def main(argv: list[str] | None = None) -> int:
    """Time ``analyze`` on one simulated attempt; print the figures and the median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    presented, log = make_attempt(seed=args.seed)
    a = analyze(presented, log)  # warm-up (imports, caches)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        a = analyze(presented, log)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    no_char: list[float] = []
    for _ in range(max(3, args.runs // 3)):
        c0 = time.process_time()
        analyze(presented, log, character_level=False)
        no_char.append(time.process_time() - c0)
    ce = a.char_errors
    assert a.seconds is not None and a.msd_error_rate is not None and a.net_wpm is not None
    print(f"attempt: {a.key_presses} key presses, {a.seconds:.0f} s, |P| {len(presented)}, |T| {len(a.transcribed)}")
    print(
        f"figures: MSD {a.msd}, MSD error rate {a.msd_error_rate:.4f}, IF {a.if_}, F {a.f}, "
        f"net WPM {a.net_wpm:.1f}, alignments {ce.alignments if ce else None}"
    )
    ms = 1000.0
    print(
        f"analyze with character level ({args.runs} runs, budget 20 ms): "
        f"wall median {statistics.median(wall) * ms:.2f} ms "
        f"(min {min(wall) * ms:.2f}, max {max(wall) * ms:.2f}); CPU median {statistics.median(cpu) * ms:.2f} ms"
    )
    print(f"analyze without character level: CPU median {statistics.median(no_char) * ms:.2f} ms")
    for rate, fixed in ((0.10, 0.5), (0.20, 0.25)):
        p_bad, log_bad = make_attempt(seed=args.seed, error_rate=rate, corrected=fixed)
        cpu_bad = []
        for _ in range(5):
            c0 = time.process_time()
            b = analyze(p_bad, log_bad)
            cpu_bad.append(time.process_time() - c0)
        print(
            f"a poor attempt ({rate:.0%} of characters wrong, {fixed:.0%} of them fixed): MSD {b.msd}, "
            f"CPU median {statistics.median(cpu_bad) * ms:.1f} ms over 5 runs"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

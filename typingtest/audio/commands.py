"""``typingtest audio ...``: render a battery's lines, say one line, the cache, list voices, check the device."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from typingtest.errors import UserError
from typingtest.ids import inside

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's commands to the ``typingtest`` parser."""
    p = sub.add_parser("audio", help="caller voices: render, say, cache, voices, check")
    audio_sub = p.add_subparsers(dest="audio_command", metavar="<audio command>")
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    r = audio_sub.add_parser(
        "render", help="pre-render every caller line of a battery or scenario into the cache",
        description="Render every fixed caller line of a battery (default, quick...), an item id "
        "(nl-call-01) or a .toml file into the audio cache, so a workstation starts without synthesis. "
        "Lines with per-candidate data ({placeholders}) are rendered when the session starts.",
    )
    r.add_argument("target", metavar="BATTERY_OR_SCENARIO")
    r.add_argument("--cache", type=Path, help="cache folder (default: $TYPINGTEST_AUDIO_CACHE or the user's cache)")
    r.add_argument("--rate", type=int, metavar="WPM", help="speaking rate for every line (default: each voice's own)")
    r.add_argument("--narrowband", action="store_true", help="8 kHz narrowband telephone sound")
    r.add_argument("--force", action="store_true", help="render again even when cached")
    r.set_defaults(func=_render)

    s = audio_sub.add_parser("say", help="speak one line into a WAV file (for trainers writing scenarios)")
    s.add_argument("text", metavar="TEXT", help='the words; markup: [digits:...] [phone:...] [spell:...] [email:...]')
    s.add_argument("--voice", required=True, metavar="NAME", help="nl-caller-1 ... de-caller-4")
    s.add_argument("--out", required=True, type=Path, metavar="FILE.wav")
    s.add_argument("--rate", type=int, metavar="WPM", help="speaking rate, eSpeak words per minute (80-450)")
    s.add_argument("--dry", action="store_true", help="no telephone chain: the voice as synthesised, normalised")
    s.add_argument("--narrowband", action="store_true", help="8 kHz narrowband telephone sound")
    s.add_argument("--room", type=float, metavar="DBFS", help="mix the contact-centre room in at this level (e.g. -45)")
    s.add_argument("--show", action="store_true", help="print the words the caller says")
    s.set_defaults(func=_say)

    k = audio_sub.add_parser("cache", help="show the audio cache; prune lines not used for a while")
    k.add_argument("--cache", type=Path, help="cache folder (default: $TYPINGTEST_AUDIO_CACHE or the user's cache)")
    k.add_argument("--prune-days", type=float, metavar="DAYS", help="delete lines not used for DAYS days")
    k.add_argument("--clear", action="store_true", help="delete every cached line")
    k.set_defaults(func=_cache)

    v = audio_sub.add_parser("voices", help="list the caller voices")
    v.set_defaults(func=_voices)

    c = audio_sub.add_parser("check", help="open the audio device and report whether tasks with a caller can run")
    c.add_argument("--device", help="device name (default: the system's)")
    c.add_argument("--beep", action="store_true", help="play the ring tone once (4 s)")
    c.set_defaults(func=_check)


def _check_rate(rate: int | None) -> None:
    if rate is not None and not 80 <= rate <= 450:
        raise UserError(f"--rate: {rate} words per minute is outside eSpeak's range; use 80-450 (callers: 130-180)")


def _render(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from typingtest.audio.battery import collect_lines
    from typingtest.audio.chain import Effects
    from typingtest.audio.render import AudioCache, cache_key
    from typingtest.config import load_settings

    _check_rate(args.rate)
    settings = load_settings(args.settings)
    effects = Effects(narrowband=args.narrowband)
    lines = collect_lines(args.target, Path(settings.passages_dir), rate_wpm=args.rate, effects=effects)
    cache = AudioCache(args.cache)
    fixed = [bl for bl in lines if not bl.per_candidate]
    later = len(lines) - len(fixed)
    rendered = cached = 0
    audio_s = 0.0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for bl in tqdm(fixed, desc=f"rendering {args.target}", unit="line", file=sys.stderr, disable=None):
        path = cache.path(cache_key(bl.spec))
        if args.force and path.is_file():
            inside(cache.folder, path)  # never through a link to a file outside the cache
            path.unlink()
        was_cached = path.is_file()
        line = cache.get(bl.spec)
        audio_s += line.seconds
        rendered += not was_cached
        cached += was_cached
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(
        f"{args.target}: {len(fixed)} lines ({audio_s:.1f} s of audio): {rendered} rendered, {cached} already cached, "
        f"in {wall:.1f} s ({cpu:.1f} s CPU); cache: {cache.folder}"
    )
    if later:
        print(f"{later} lines with per-candidate data are rendered when the session starts")
    return 0


def _say(args: argparse.Namespace) -> int:
    import soundfile

    from typingtest.audio.chain import Effects
    from typingtest.audio.render import LineSpec, render_line
    from typingtest.audio.spoken import spoken_text
    from typingtest.audio.voices import get_voice

    _check_rate(args.rate)
    voice = get_voice(args.voice)
    if args.out.suffix.lower() != ".wav":
        raise UserError(f"--out: {args.out}: give a .wav file name")
    if not args.out.parent.is_dir():
        raise UserError(f"--out: {args.out.parent}: folder not found")
    effects = Effects(telephone=not args.dry, narrowband=args.narrowband, room_db=args.room,
                      line_noise_db=None if args.dry else Effects().line_noise_db)
    line = render_line(LineSpec(text=args.text, voice=voice.name, rate_wpm=args.rate, effects=effects, source="TEXT"))
    soundfile.write(str(args.out), line.samples, line.rate, subtype="PCM_16")
    if args.show:
        print(spoken_text(args.text, voice.lang, source="TEXT"))
    print(f"{args.out}: {line.seconds:.2f} s, {voice.name} ({voice.description}), {args.rate or voice.rate_wpm} wpm")
    return 0


def _cache(args: argparse.Namespace) -> int:
    from typingtest.audio.render import AudioCache

    cache = AudioCache(args.cache)
    if args.prune_days is not None and args.prune_days < 0:
        raise UserError(f"--prune-days: {args.prune_days}: give a number of days >= 0")
    if args.clear or args.prune_days is not None:
        deleted = cache.prune(None if args.clear else args.prune_days)
        print(f"{cache.folder}: {deleted} lines deleted")
    count, size = cache.usage()
    print(f"{cache.folder}: {count} lines, {size / 1e6:.1f} MB")
    return 0


def _voices(args: argparse.Namespace) -> int:
    from typingtest.audio.voices import VOICES

    for v in VOICES.values():
        print(f"{v.name:13} {v.gender:6} {v.rate_wpm:3d} wpm  pitch {v.pitch:2d}  {v.espeak_voice:9} {v.description}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from typingtest.audio.chain import ring_tone
    from typingtest.audio.player import Player

    player = Player.open(args.device)
    try:
        if not player.available:
            print(f"audio: NOT AVAILABLE: {player.message}")
            return 1
        print(f"audio: available (driver {player.driver}, {player.rate} Hz, buffer {player.buffer_samples} samples)")
        if player.message:
            print(f"audio: {player.message}")
        if args.beep:
            player.play_now("check", ring_tone(player.rate, cycles=1))
            time.sleep(1.2)
            for ev in player.poll(include_future=True):
                print(f"audio: {ev.kind} of {ev.line_id}")
        return 0
    finally:
        player.close()

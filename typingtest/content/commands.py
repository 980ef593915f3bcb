"""``typingtest content check [PATH]``, ``content list [--json]``, ``content draw``, ``content explain CALL_ID``."""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``content check``, ``list``, ``draw`` and ``explain`` to the ``typingtest`` parser."""
    p = sub.add_parser("content", help="check and list the test content (passages, calls, batteries)")
    csub = p.add_subparsers(dest="content_command", metavar="<check|list|draw|explain>")
    c = csub.add_parser("check", help="validate content files; every problem as file:line: field: what is wrong")
    c.add_argument("path", nargs="?", help="a content file or folder (default: the content in use)")
    c.add_argument("--strict", action="store_true", help="warnings count as problems (exit 1)")
    c.set_defaults(func=_check)
    ls = csub.add_parser("list", help="list every item and battery: id, kind, language, title")
    ls.add_argument("--json", action="store_true", help="JSON, with difficulty figures and battery lengths")
    ls.add_argument("path", nargs="?", help="a content folder (default: the content in use)")
    ls.set_defaults(func=_list)
    d = csub.add_parser("draw", help="the form a randomised item gives for a seed (rebuilds an attempt's form)")
    d.add_argument("item", help="an item id, e.g. nl-entry-01")
    d.add_argument("--seed", type=int, required=True, help="the seed stored with the attempt")
    d.add_argument("--json", action="store_true", help="JSON: lines and expected field values")
    d.set_defaults(func=_draw)
    x = csub.add_parser("explain", help="the scoring review table of a call: each expected action, its cue, "
                        "deadline, what counts as correct, weight and competence code")
    x.add_argument("item", metavar="CALL_ID", help="a call id, e.g. nl-call-01")
    x.add_argument("--ui-lang", choices=("nl", "en"), help="language of the table (default: the settings' ui_lang)")
    x.add_argument("--json", action="store_true", help="JSON: one object per expected action")
    x.add_argument("--path", dest="path", help="a content folder (default: the content in use)")
    x.set_defaults(func=_explain)
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def _root(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if args.path:
        return args.path
    from typingtest.config import load_settings

    return load_settings(args.settings).passages_dir


def _check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from typingtest.content.explain import warning_lines
    from typingtest.content.loader import _check_all, content_files
    from typingtest.content.model import Call
    from typingtest.errors import UserError

    root = _root(args)
    if not Path(root).exists():
        raise UserError(f"{root}: no such file or folder; give a content file or folder")
    objects, problems = _check_all(root)
    for problem in problems:
        print(problem)
    failed = {p.file.resolve() for p in problems}
    warnings = [w for obj in objects if isinstance(obj, Call) and obj.path is not None
                and Path(obj.path).resolve() not in failed for w in warning_lines(obj, Path(obj.path))]
    for warning in warnings:
        print(warning)
    n = len(content_files(root))
    sys.stdout.flush()
    strict = getattr(args, "strict", False)
    if problems or (strict and warnings):
        counted = f", {len(warnings)} warning(s)" if warnings else ""
        print(f"{len(problems)} problem(s){counted} in {n} file(s)", file=sys.stderr)
        return 1
    print(f"{n} file(s) checked: no problems" + (f", {len(warnings)} warning(s)" if warnings else ""))
    return 0


def _list(args: argparse.Namespace) -> int:
    from typingtest.content import list_items

    rows = list_items(_root(args))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        extra = f"  [{r['problems']} problem(s): run typingtest content check]" if r.get("problems") else ""
        if r.get("kind") == "battery":
            extra = f"  ({r['planned_s'] / 60:.1f} min)" + extra
        print(f"{r['id']:<14} {r['kind']:<14} {r['language']:<3} {r['title']}{extra}")
    return 0


def _draw(args: argparse.Namespace) -> int:
    from typingtest.content import draw_form, load_item
    from typingtest.errors import UserError

    item = load_item(args.item, _root(argparse.Namespace(path=None, settings=args.settings)))
    if getattr(item, "randomise", None) is None:
        raise UserError(f"{args.item}: has no [randomise] table; its form is the same for every seed")
    form = draw_form(item, args.seed)
    out = {
        "id": form.id,
        "seed": args.seed,
        "lines": [{"id": line.id, "text": line.text} for line in form.lines],
        "fields": {f.name: f.value for f in form.fields if f.value is not None},
    }
    if hasattr(form, "records"):
        out["records"] = [r.__dict__ | {"history": list(r.history)} for r in form.records
                          if r.id == form.randomise.record]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(f"{form.id}, seed {args.seed}")
    for line in out["lines"]:
        print(f"  {line['id']}: {line['text']}")
    for name, value in out["fields"].items():
        print(f"  {name} = {value}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from typingtest.content import list_items
    from typingtest.content.explain import explain_call, explain_table
    from typingtest.content.loader import find_item_file, load_file
    from typingtest.content.model import Call
    from typingtest.errors import UserError

    root = _root(args)
    found = find_item_file(args.item, root)
    item = load_file(found) if found is not None else None
    if not isinstance(item, Call):
        calls = ", ".join(r["id"] for r in list_items(root) if r.get("kind") == "call") or "none"
        what = "no such call" if item is None else f"a {item.kind} item, not a call"
        raise UserError(f"{args.item}: {what}; calls: {calls} (see `typingtest content list`)")
    lang = args.ui_lang
    if lang is None:
        from typingtest.config import load_settings

        lang = load_settings(args.settings).ui_lang
    lang = lang if lang in ("nl", "en") else "nl"
    rows = explain_call(item, lang)
    if args.json:
        print(json.dumps({"id": item.id, "title": item.title, "ui_lang": lang,
                          "expect": [r.to_dict() for r in rows]}, ensure_ascii=False, indent=1))
        return 0
    print(explain_table(item, rows, lang))
    return 0

"""HMAC signatures over each stored attempt's events and metadata.

The key is 32 random bytes (hex) in the centre's key file (``Settings.key_file``), outside
the database, created on first use with owner-only permissions (0600 on POSIX; on Windows
the file inherits the folder's ACL, so keep the results folder's ACL to the test centre's
staff). Whoever can edit the database but not read the key cannot change an attempt
unseen. A signature reads ``hmac-sha256:<key id>:<hex>``; the key id (the first 16 hex
digits of the key's SHA-256) tells which key signed it.

The key file holds one key per line (hex; ``#`` starts a comment): the first signs, every
line is accepted when checking. A centre whose workstations share one database gives them
all the same file (or adds each workstation's key as a line); after a key rotation the old
key stays as a later line.

The signed message is canonical JSON (sorted keys, no spaces) of the attempt's ids, task,
times, state, transcribed text, event count and the SHA-256 of its stored event-log blob,
followed by its meta, metrics, verdicts and action scores as the canonical JSON texts the
database holds (one per line; canonical JSON has no raw line breaks).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from typingtest.errors import UserError

__all__ = ["JSON_FIELDS", "SIGNED_FIELDS", "SigningKey", "canonical_json", "canonical_message", "key_file_missing",
           "load_or_create_key"]

#: The attempt fields the signature covers (plus ``events_sha256`` and ``n_events``).
SIGNED_FIELDS = (
    "attempt_id", "session_id", "candidate_id", "task", "item", "practice", "started_at", "ended_at", "state",
    "transcribed", "meta", "metrics", "verdicts", "actions", "n_events", "events_sha256", "format",
)


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


#: Fields held as canonical JSON text; signed as that text, so checking needs no re-encoding.
JSON_FIELDS = ("meta", "metrics", "verdicts", "actions")


def canonical_json(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters as they are, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_message(fields: Mapping[str, Any]) -> bytes:
    """The bytes the HMAC covers: canonical JSON of the scalar fields (datetimes as UTC ISO), then
    one line per JSON field (a str is taken as already canonical JSON text, as stored)."""
    scalars = {name: _norm(fields.get(name)) for name in SIGNED_FIELDS if name not in JSON_FIELDS}
    parts = [canonical_json(scalars)]
    for name in JSON_FIELDS:
        value = fields.get(name)
        parts.append(value if isinstance(value, str) else canonical_json(value))
    return "\n".join(parts).encode("utf-8")


class SigningKey:
    """A loaded HMAC key, with any older or other workstations' keys accepted for checking."""

    def __init__(self, key: bytes, path: Path | None = None, others: list[bytes] | None = None) -> None:
        self.key = key
        self.path = path
        self.key_id = _key_id(key)
        #: key id -> key, the signing key included
        self.keyring = {_key_id(k): k for k in [key, *(others or [])]}

    def sign(self, fields: Mapping[str, Any]) -> str:
        """The signature string for an attempt's fields (always with the first key)."""
        digest = hmac.new(self.key, canonical_message(fields), hashlib.sha256).hexdigest()
        return f"hmac-sha256:{self.key_id}:{digest}"

    def mac(self, message: bytes) -> str:
        """A signature string (``hmac-sha256:<key id>:<hex>``) over any message, with the first key.

        For rows other than attempts (candidates, sessions, overrides, the audit chain): the
        caller builds the message with ``canonical_json`` so that checking rebuilds it exactly.
        """
        digest = hmac.new(self.key, message, hashlib.sha256).hexdigest()
        return f"hmac-sha256:{self.key_id}:{digest}"

    def check_mac(self, message: bytes, signature: str | None) -> str | None:
        """None when ``signature`` is a valid ``mac`` of ``message``, else why not (one short phrase)."""
        return self._check(message, signature, "signature does not match: the row changed after it was signed")

    def _check(self, message: bytes, signature: str | None, changed: str, where: str = "") -> str | None:
        """The one signature check: ``changed`` names what a mismatch means; ``where`` the key file hint."""
        if not signature:
            return "not signed"
        parts = signature.split(":")
        if len(parts) != 3 or parts[0] != "hmac-sha256":
            return "malformed signature"
        key = self.keyring.get(parts[1])
        if key is None:
            return f"signed with a key this workstation does not hold ({parts[1]}){where}"
        expected = hmac.new(key, message, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts[2]):
            return changed
        return None

    def derive(self, label: str, key_id: str | None = None) -> bytes:
        """A 32-byte key for one purpose (e.g. ``"journal:<attempt id>"``), derived from a held key.

        ``key_id`` None: from the signing key; else from the keyring's key of that id
        (``KeyError`` if this keyring does not hold it).
        """
        base = self.key if key_id is None else self.keyring[key_id]
        return hmac.new(base, b"typingtest-derive\x00" + label.encode("utf-8"), hashlib.sha256).digest()

    def holds(self, signature: str) -> bool:
        """True when this keyring has the key that ``signature`` names."""
        parts = signature.split(":")
        return len(parts) == 3 and parts[1] in self.keyring

    def check(self, fields: Mapping[str, Any], signature: str | None) -> str | None:
        """None when ``signature`` is valid for ``fields``, else why not (one short phrase)."""
        return self._check(canonical_message(fields), signature,
                           "signature does not match: events or metadata changed after storing",
                           f"; add that key's line to {self.path or 'the key file'}")


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


#: key files already warned about (readable by others): the warning is given once per process
_WARNED_READABLE: set[Path] = set()


def _create_key_file(path: Path) -> None:
    """Write a new key to ``path`` unless one appears there first; never leaves an empty key file.

    The key goes to a temporary file in the same folder (owner-only), is fsynced, then linked
    to ``path`` (``os.link`` refuses to overwrite: of two processes creating it at once, one
    key wins and both use it). A whitespace-only file (what an earlier version left when the
    disk was full) holds no key and is moved aside first; only one process can move it.
    """
    from typingtest.fileperms import private_dir

    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if _blank(path):
            aside = path.with_name(f".{path.name}.empty-{os.getpid()}-{secrets.token_hex(4)}")
            try:
                os.rename(path, aside)  # atomic: one process wins, the others find no file or a key
            except FileNotFoundError:
                pass
            else:
                if _blank(aside):
                    os.unlink(aside)
                else:  # a key was written into it meanwhile: put it back, ours is not needed
                    os.replace(aside, path)
                    return
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it a moment ago: use that key
        except OSError:  # no hard links on this file system (FAT): rename refuses to overwrite on Windows
            if os.name == "nt":  # pragma: no cover
                with contextlib.suppress(FileExistsError):
                    os.rename(tmp, path)
            elif not path.exists():
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _blank(path: Path) -> bool:
    """True when ``path`` exists and holds nothing but whitespace."""
    try:
        return not path.read_bytes().strip()
    except (FileNotFoundError, IsADirectoryError):
        return False


def key_file_missing(path: str | os.PathLike[str]) -> bool:
    """True when ``load_or_create_key`` would make a key: no file, or an empty (whitespace-only) one."""
    p = Path(path)
    return not p.exists() or _blank(p)


def load_or_create_key(path: str | os.PathLike[str]) -> SigningKey:
    """Read the key file; create it (32 random bytes, hex, owner-only) when it does not exist.

    Created through a temporary file and a no-clobber link, so a full disk leaves no key file
    rather than an empty one (one line saying so). An existing empty (whitespace-only) file holds
    no key that can have signed anything and is replaced. A key file that other local users can
    read gives one warning line on stderr (once per process).
    """
    from typingtest.fileperms import group_or_world_readable

    path = Path(path)
    if key_file_missing(path):
        try:
            _create_key_file(path)
        except OSError as exc:
            raise UserError(f"{path}: cannot create the signing key ({exc.strerror or exc}); free space or fix the "
                            "folder's permissions and try again (nothing was written)") from None
    try:
        raw = path.read_text(encoding="ascii").strip()
        lines = [ln.split("#", 1)[0].strip() for ln in raw.splitlines()]
        keys = [bytes.fromhex(ln) for ln in lines if ln]
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: signing key unreadable ({exc}); restore the centre's key file or set "
                        "signing_key_file in the settings") from None
    if not keys:
        raise UserError(f"{path}: the signing key file holds no key (only comments); restore the centre's key file")
    short = [k for k in keys if len(k) < 16]
    if short:
        raise UserError(f"{path}: a signing key is too short ({len(short[0])} bytes); each needs at least 16 bytes "
                        "as hex")
    if group_or_world_readable(path) and path.resolve() not in _WARNED_READABLE:
        _WARNED_READABLE.add(path.resolve())
        print(f"typingtest: warning: the signing key {path} can be read or changed by other users of this computer; "
              f"run: chmod 600 {path}", file=sys.stderr)
    return SigningKey(keys[0], path, keys[1:])

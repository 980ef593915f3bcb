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

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from typingtest.errors import UserError

__all__ = ["JSON_FIELDS", "SIGNED_FIELDS", "SigningKey", "canonical_json", "canonical_message", "load_or_create_key"]

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
        if not signature:
            return "not signed"
        parts = signature.split(":")
        if len(parts) != 3 or parts[0] != "hmac-sha256":
            return "malformed signature"
        key = self.keyring.get(parts[1])
        if key is None:
            return f"signed with a key this workstation does not hold ({parts[1]})"
        expected = hmac.new(key, message, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts[2]):
            return "signature does not match: the row changed after it was signed"
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
        if not signature:
            return "not signed"
        parts = signature.split(":")
        if len(parts) != 3 or parts[0] != "hmac-sha256":
            return "malformed signature"
        key = self.keyring.get(parts[1])
        if key is None:
            return (f"signed with a key this workstation does not hold ({parts[1]}); add that key's line to "
                    f"{self.path or 'the key file'}")
        expected = hmac.new(key, canonical_message(fields), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts[2]):
            return "signature does not match: events or metadata changed after storing"
        return None


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def load_or_create_key(path: str | os.PathLike[str]) -> SigningKey:
    """Read the key file; create it (32 random bytes, hex, owner-only) when it does not exist."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            pass  # another workstation process made it a moment ago
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
    try:
        raw = path.read_text(encoding="ascii").strip()
        for _ in range(40):  # another process may be between creating and writing it
            if raw:
                break
            time.sleep(0.05)
            raw = path.read_text(encoding="ascii").strip()
        lines = [ln.split("#", 1)[0].strip() for ln in raw.splitlines()]
        keys = [bytes.fromhex(ln) for ln in lines if ln]
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: signing key unreadable ({exc}); restore the centre's key file or set "
                        "signing_key_file in the settings") from None
    if not keys:
        raise UserError(f"{path}: the signing key file is empty; restore the centre's key file")
    short = [k for k in keys if len(k) < 16]
    if short:
        raise UserError(f"{path}: a signing key is too short ({len(short[0])} bytes); each needs at least 16 bytes "
                        "as hex")
    return SigningKey(keys[0], path, keys[1:])

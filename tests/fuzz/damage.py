"""Byte-level damage to an .xlsx: truncation, flipped bytes, corrupt or missing parts, entity bombs,
XXE and zip bombs."""

from __future__ import annotations

import re
import zipfile
import zlib

from .book import unzip, zip_bytes
from .mutations import Op


def billion_laughs(levels: int) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)
    ]
    return f"<!DOCTYPE lolz [{''.join(entities)}]>"


def with_doctype(xml: bytes, doctype: str, reference: str) -> bytes:
    """Insert a DOCTYPE after the XML declaration and use its entity in the first text."""
    text = xml.decode("utf-8", "replace")
    declaration = ""
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        declaration, text = text[:end], text[end:]
    text = re.sub(r"(<(?:t|v)(?: [^>]*)?>)", lambda m: m.group(1) + reference, text, count=1)
    if reference not in text:
        text = re.sub(r"^(\s*<[^>]*?)(/?>)", lambda m: m.group(1) + m.group(2) + reference, text, count=1)
    return (declaration + doctype + text).encode()


def apply_bytes(data: bytes, op: Op) -> bytes:
    kind = op[0]
    if kind == "truncate":
        return data[: len(data) * op[1] // 1000]
    if kind == "flip":
        if not data:
            return data
        out = bytearray(data)
        for position, mask in op[1]:
            out[position * len(out) // 1000] ^= mask or 1
        return bytes(out)
    try:
        parts = unzip(data)
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        KeyError,
        RuntimeError,
        NotImplementedError,
    ):
        # already broken (a flipped byte may mark a part encrypted, or name an unknown compression
        # method: seed 107520128): the remaining damage needs a readable zip
        return data
    if kind == "zip_bomb":
        if op[1] == "entry":
            parts["xl/media/image1.xml"] = b"\0" * (2 * 1024 * 1024 + 1)
        else:
            for n in range(201):
                parts[f"xl/media/fill{n}.bin"] = b"\0" * (1024 * 1024)
        return zip_bytes(parts)
    names = sorted(parts)
    name = names[op[1] % len(names)]
    how = op[2]
    part = parts[name]
    if how == "remove":
        del parts[name]
    elif how == "cut":
        parts[name] = part[: len(part) // 2]
    elif how == "garbage":
        middle = len(part) // 2
        parts[name] = part[:middle] + b"<<&&>>\xff\xfe" + part[middle + 3 :]
    elif how == "bad_utf8":
        parts[name] = part.replace(b">", b">\xc3\x28", 1)
    elif how == "empty":
        parts[name] = b""
    elif how == "entity_bomb":
        parts[name] = with_doctype(part, billion_laughs(5), "&lol4;")
    elif how == "xxe":
        parts[name] = with_doctype(part, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")
    elif how == "dtd_only":
        parts[name] = with_doctype(part, "<!DOCTYPE x>", "")
    return zip_bytes(parts)

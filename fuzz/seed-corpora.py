#!/usr/bin/env python3
"""Writes the seed corpora of every fuzz target into fuzz/corpus/<target>/
from the bundled files: samples/, rules/, tests/fixtures/ and the parser's
case files. Run from anywhere; the corpus folder is git-ignored."""

import gzip
import hashlib
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
# The load target's first byte picks the name (see fuzz_targets/load.rs).
LOAD_NAMES = {".jsonl": 0, ".json": 1, ".csv": 3, ".gz": 4}
MAX_SEED = 64 * 1024


def put(target, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def head_lines(data, limit=MAX_SEED):
    """The first whole lines of data that fit in limit bytes."""
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1 if cut > 0 else limit]


def kql_cases(name):
    text = (ROOT / "tests" / "kql_parse_cases" / name).read_text()
    cases, cur = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("// ==== "):
            cur = []
            cases.append(cur)
        elif cur is not None:
            cur.append(line)
    return ["".join(c) for c in cases]


def main():
    for q in kql_cases("valid.kql") + kql_cases("invalid.kql"):
        put("kql_parse", q.encode())
        put("kql_eval", q.encode())
    events = [p for p in (ROOT / "tests" / "fixtures" / "load").rglob("*") if p.is_file()]
    events += [p for p in (ROOT / "samples").iterdir() if p.suffix != ".md"]
    for p in events:
        data = p.read_bytes()
        if p.suffix == ".gz":
            raw = head_lines(gzip.decompress(data), 16 * 1024)
            put("load", bytes([4]) + gzip.compress(raw))
            put("load", bytes([0x80 | 4]) + raw)
        else:
            put("load", bytes([LOAD_NAMES.get(p.suffix, 7)]) + head_lines(data, 16 * 1024))
    rules = sorted((ROOT / "rules").glob("*.yaml"))
    for p in rules:
        put("rule_yaml", p.read_bytes())
    for p in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")):
        text = p.read_bytes()
        put("import", text)
        for line in text.decode().splitlines():
            if "==" in line or "contains" in line or " OR " in line or "&&" in line:
                filt = line.split(":", 1)[-1].strip().encode()
                for t in range(3):
                    put("translate", bytes([t]) + filt)
    for p in sorted((ROOT / "tests").glob("rules_*.rs")):
        for line in p.read_text().splitlines():
            if "process." in line or "network." in line or "file." in line:
                put("translate", b"\x00" + line.strip().encode())


if __name__ == "__main__":
    main()

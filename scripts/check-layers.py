#!/usr/bin/env python3
"""Imports point down: the file-level `crate::` / `super::` graph of `src/` checked against
the layer order below (ARCHITECTURE.md draws it).

Reports (and exits 1 on) two things:
- an upward arrow: a module importing a top-level module of a higher layer (or one of the
  same layer, unless the pair is listed in SAME_LAYER_OK);
- an import cycle between files (strongly connected components of more than one file).

A `mod.rs` is an index: its `pub use` re-exports and `mod` lines are not arrows, and a path
through a `mod.rs` is followed to the file that defines the item when the index re-exports
it. Comments (`//`, `///`, `//!`) are ignored. `#[cfg(test)]` modules count like any code
(tests must not need an upward arrow either).

Usage: python3 scripts/check-layers.py [--graph]   (--graph prints every file-level arrow)
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")

# Lowest first. A module may import modules of lower layers only.
LAYERS = [
    ["grid", "metrics"],
    ["io", "forest", "terrain"],
    ["project"],
    ["event"],
    ["features"],
    ["inventory", "coherence", "groundfailure"],
    ["pipeline"],
    ["experiment"],
    ["report"],
    ["rapid"],
    ["demo"],
    ["gui", "cli", "main", "lib"],
]
SAME_LAYER_OK = set()

LAYER_OF = {m: i for i, ms in enumerate(LAYERS) for m in ms}


def rs_files():
    for d, _, fs in os.walk(ROOT):
        for f in fs:
            if f.endswith(".rs"):
                yield os.path.relpath(os.path.join(d, f), ROOT)


def module_path(rel):
    """src-relative file -> module path list (lib.rs / main.rs -> [])."""
    parts = rel[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


FILES = {}  # module path tuple -> rel file
for rel in rs_files():
    FILES[tuple(module_path(rel))] = rel
# the binary's `cli` tree is a crate of its own; `crate::` there means the binary
BIN_ROOTS = {"main.rs", "cli"}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = []
    for line in text.splitlines():
        # drop // comments outside strings (good enough: no `//` inside our path strings)
        in_str = False
        cut = None
        i = 0
        while i < len(line) - 1:
            c = line[i]
            if c == '"' and (i == 0 or line[i - 1] != "\\"):
                in_str = not in_str
            if not in_str and line[i : i + 2] == "//":
                cut = i
                break
            i += 1
        out.append(line[:cut] if cut is not None else line)
    return "\n".join(out)


def expand_use(body):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    body = re.sub(r"\s+", "", body)
    m = re.match(r"^(.*?)\{(.*)\}$", body)
    if not m:
        return [body]
    prefix, inner = m.group(1), m.group(2)
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        items.append(cur)
    res = []
    for it in items:
        for e in expand_use(it):
            res.append(prefix + e)
    return res


def resolve(path, here):
    """A `crate::…` / `super::…` / `self::…` path used in module `here` -> (file, item)."""
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    base = list(here)
    if segs[0] == "crate":
        segs = segs[1:]
        base = []
    elif segs[0] in ("super", "self"):
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    else:
        return None
    segs = [s.split(" as ")[0] for s in segs]
    full = base + segs
    # longest prefix that is a file
    for k in range(len(full), -1, -1):
        key = tuple(full[:k])
        if key in FILES:
            item = full[k] if k < len(full) else None
            return key, item
    return None


REEXPORTS = {}  # mod key -> {item: child key}


def reexports_of(key):
    if key in REEXPORTS:
        return REEXPORTS[key]
    res = {}
    rel = FILES[key]
    text = strip_comments(open(os.path.join(ROOT, rel)).read())
    for m in re.finditer(r"pub(?:\([a-z]+\))?\s+use\s+([^;]+);", text):
        for p in expand_use(m.group(1)):
            segs = p.split("::")
            if segs[0] in ("crate", "super", "self"):
                r = resolve(p, key)
                if r:
                    name = segs[-1].split("as")[-1] if "as" in segs[-1] else segs[-1]
                    res[name] = r[0]
            else:
                child = key + (segs[0],)
                if child in FILES and len(segs) > 1:
                    r = resolve("self::" + p, key)
                    if r:
                        res[segs[-1]] = r[0]
    REEXPORTS[key] = res
    return res


def is_index(key):
    return FILES[key].endswith("mod.rs") or FILES[key] in ("lib.rs",)


def target(path, here):
    r = resolve(path, here)
    if r is None:
        return None
    key, item = r
    seen = set()
    while item is not None and is_index(key) and key not in seen:
        seen.add(key)
        nxt = reexports_of(key).get(item)
        if nxt is None:
            break
        key = nxt
    return key


PATH_RE = re.compile(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)")


def edges():
    out = {}
    for key, rel in FILES.items():
        text = strip_comments(open(os.path.join(ROOT, rel)).read())
        paths = []
        for m in re.finditer(r"(pub(?:\([a-z]+\))?\s+)?use\s+([^;]+);", text):
            if m.group(1) and is_index(key):
                continue  # an index's re-export
            paths += expand_use(m.group(2))
        # inline paths outside `use` lines
        rest = re.sub(r"(pub(?:\([a-z]+\))?\s+)?use\s+[^;]+;", "", text)
        paths += PATH_RE.findall(rest)
        ts = set()
        for p in paths:
            if not re.match(r"(crate|super|self)::", p):
                continue
            t = target(p, key)
            if t is not None and t != key and t != ():
                ts.add(t)
        out[key] = ts
    return out


def top(key, rel):
    if rel == "main.rs" or rel.startswith("cli" + os.sep):
        return "cli"
    return key[0] if key else "lib"


def sccs(graph):
    index, low, stack, on, res, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                res.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return res


def main():
    graph = edges()
    bad = 0
    for key, ts in sorted(graph.items()):
        src = top(key, FILES[key])
        for t in sorted(ts):
            dst = top(t, FILES[t])
            if "--graph" in sys.argv:
                print(f"{FILES[key]} -> {FILES[t]}")
            if src == dst or src == "lib":
                continue
            ls, ld = LAYER_OF.get(src), LAYER_OF.get(dst)
            if ls is None or ld is None:
                print(f"unknown module in layer table: {src} or {dst}")
                bad += 1
            elif ld > ls or (ld == ls and (src, dst) not in SAME_LAYER_OK):
                print(f"upward arrow: {FILES[key]} ({src}) -> {FILES[t]} ({dst})")
                bad += 1
    for comp in sccs(graph):
        print("import cycle between files: " + " <-> ".join(FILES[k] for k in comp))
        bad += 1
    print(f"{len(graph)} files checked, {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Functions longer than N lines (default 80) under src/, outside `#[cfg(test)]` modules:
`python3 scripts/long-functions.py [N]`. A function is counted from its `fn` line to the
line of its closing brace (brace matching that skips strings, chars and comments)."""
import os
import re
import sys

LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 80
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def code_only(text):
    """Blank out comments, strings and char literals, keeping line structure."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not text[i - 1].isalnum()):
            m = re.match(r'r(#*)"', text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(re.sub(r"[^\n]", " ", text[i:j + 1]))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
            m = re.match(r"'(\\.|[^\\'])'", text[i:i + 4])
            out.append(" " * len(m.group(0)))
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    lines = code_only(open(path).read()).split("\n")
    res, test_depth, depth = [], None, 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if test_depth is None and re.match(r"\s*#\[cfg\(test\)\]", line):
            test_depth = depth  # the next item is test code
        m = FN.match(line)
        if m:
            # find the opening brace of the body (or a `;` for declarations)
            j, d, started = i, depth, False
            while j < len(lines):
                for ch in lines[j]:
                    if ch == ";" and not started and d == depth:
                        break
                    if ch == "{":
                        d += 1
                        started = True
                    elif ch == "}":
                        d -= 1
                        if started and d == depth:
                            break
                else:
                    j += 1
                    continue
                break
            if started and test_depth is None:
                res.append((m.group(6), i + 1, j - i + 1))
        for ch in line:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if test_depth is not None and depth <= test_depth:
                    test_depth = None
        i += 1
    return res


rows = []
for d, _, fs in os.walk(ROOT):
    for f in fs:
        if f.endswith(".rs"):
            p = os.path.join(d, f)
            for name, line, n in functions(p):
                if n > LIMIT:
                    rows.append((n, os.path.relpath(p, ROOT), line, name))
for n, p, line, name in sorted(rows, reverse=True):
    print(f"{n:5} src/{p}:{line} {name}")
print(f"{len(rows)} function(s) over {LIMIT} lines")

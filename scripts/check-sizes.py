#!/usr/bin/env python3
"""Size limits of the house style: no source file over MAX_FILE lines and no
function over MAX_FN lines (Rust, TypeScript, TSX), so a reader finds a rule in
one hop. Prints every offender and exits 1 if there is one.

Functions are found by their opening line (`fn name`, `function name`, or a
`const name = (...) =>` arrow) and measured to the line where their braces
close; string and comment contents are skipped so braces in them do not count.
Generated files (client-ts/src/generated) and vendored bundles are skipped.

    scripts/check-sizes.py            # the whole repository
    scripts/check-sizes.py --list 20  # also the 20 longest functions
"""
import argparse, os, re, subprocess, sys

MAX_FILE = 600
MAX_FN = 120
EXTS = (".rs", ".ts", ".tsx")
SKIP = ("client-ts/src/generated/", "/vendor/", "node_modules/")

RS_FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+\"[^\"]*\"\s+)?fn\s+(\w+)")
TS_FN = re.compile(
    r"^\s*(export\s+)?(default\s+)?(async\s+)?function\s*\*?\s*(\w+)"
    r"|^\s*(export\s+)?(const|let)\s+(\w+)\s*(:[^=]+)?=\s*(async\s+)?(\([^)]*\)|\w+)\s*(:\s*[^=]+)?=>"
    r"|^\s*(public\s+|private\s+|protected\s+)?(static\s+)?(async\s+)?(\w+)\s*\([^)]*\)\s*(:\s*[^{]+)?\{\s*$"
)
TS_INNER_FN = re.compile(r"\(\s*(?:async\s+)?function\s*\*?\s*(\w+)\s*\(")
TS_NOT_METHOD = {"if", "for", "while", "switch", "catch", "return", "function", "else"}


def strip(line, state):
    """The line without string/comment contents; `state` carries block comments
    and template literals across lines."""
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if state["block"]:
            if line.startswith("*/", i):
                state["block"] = False
                i += 2
            else:
                i += 1
            continue
        if state["tpl"]:
            if c == "\\":
                i += 2
                continue
            if c == "`":
                state["tpl"] = False
            i += 1
            continue
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            state["block"] = True
            i += 2
            continue
        if c in "\"'":
            # Rust lifetimes and chars: 'a is not a string start unless closed soon.
            if c == "'" and not re.match(r"'(\\.|[^'\\])'", line[i:]):
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < len(line) and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        if c == "`":
            state["tpl"] = True
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def functions(path, lines):
    ts = not path.endswith(".rs")
    state = {"block": False, "tpl": False}
    open_fns = []
    depth = 0
    found = []
    for n, raw in enumerate(lines, 1):
        code = strip(raw, state)
        m = (TS_FN if ts else RS_FN).match(code)
        name = None
        if ts and not m:
            # `memo(function Row(…`, `forwardRef(function …`: a named function inside a call.
            inner = TS_INNER_FN.search(code)
            if inner:
                name = inner.group(1)
        if m:
            name = next((g for g in (m.groups()[3], m.groups()[6], m.groups()[15]) if g), None) if ts else m.group(7)
            if ts and name in TS_NOT_METHOD:
                name = None
        if name:
            # [name, first line, depth at start, armed]: a function is armed once
            # its body brace is open at the end of a line, so braces in its
            # signature (`({ a, b }: Props)`, `x: { y: number }`) do not end it.
            open_fns.append([name, n, depth, False])
        for c in code:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                while open_fns and open_fns[-1][3] and depth <= open_fns[-1][2]:
                    fn_name, start, _, _ = open_fns.pop()
                    found.append((n - start + 1, fn_name, start))
        for f in reversed(open_fns):
            if f[3]:
                break
            if depth > f[2]:
                f[3] = True
            elif "{" in code and f[1] == n and code.rstrip().endswith("}"):
                open_fns.remove(f)  # a one-line function
                found.append((1, f[0], n))
            elif code.rstrip().endswith(";") and depth == f[2]:
                # No body: a declaration (trait method, `fn x();`) or an
                # arrow function returning an expression.
                open_fns.remove(f)
    return found


def tracked():
    out = subprocess.run(["git", "ls-files"], capture_output=True, text=True, check=True).stdout
    return [p for p in out.splitlines() if p.endswith(EXTS) and not any(s in p for s in SKIP)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", type=int, default=0, help="also print the N longest functions")
    args = ap.parse_args()
    os.chdir(subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True).stdout.strip())
    bad, all_fns = [], []
    for p in tracked():
        if not os.path.exists(p):
            continue
        lines = open(p, encoding="utf-8").read().splitlines()
        if len(lines) > MAX_FILE:
            bad.append(f"{p}: {len(lines)} lines (limit {MAX_FILE})")
        for length, name, start in functions(p, lines):
            all_fns.append((length, f"{p}:{start} {name}"))
            if length > MAX_FN:
                bad.append(f"{p}:{start}: fn {name} is {length} lines (limit {MAX_FN})")
    if args.list:
        for length, where in sorted(all_fns, reverse=True)[: args.list]:
            print(f"{length:5} {where}")
    for b in bad:
        print(b)
    if bad:
        print(f"{len(bad)} over the size limits", file=sys.stderr)
        return 1
    print(f"sizes ok: {len(all_fns)} functions, none over {MAX_FN} lines; no file over {MAX_FILE} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())

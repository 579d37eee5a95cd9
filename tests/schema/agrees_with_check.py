#!/usr/bin/env python3
"""Every case file of the repository gets the same answer from a JSON Schema 2020-12 validator
(cases/schema.json) and from `sockdrill check`; the few refusals no schema can state are listed.

Usage: agrees_with_check.py SOCKDRILL SOURCE_DIR [--without JSON_POINTER]
Exit 0 when every file agrees, 1 with one line per disagreement otherwise. With --without, the
schema loses the node at that pointer first (a rule loosened), and the exit is 0 only when some
file then disagrees: the test notices drift.
"""
import argparse
import json
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from case_file import strip_comments  # noqa: E402

try:
    from jsonschema import Draft202012Validator
except ImportError as err:  # too old (before 4.0) or absent
    raise SystemExit(f"agrees_with_check: needs python3-jsonschema 4.0 or later ({err})")

# Folders holding case files (valid or not), relative to the source folder.
CASE_FOLDERS = ["cases", "tests/harness", "tests/schema/cases", "examples/cases",
                "fuzz/corpus/case_checker"]

# The --define values the suite runs these files with (examples/ gives each its built client;
# any executable stands in for it here).
DEFINES = {
    "tests/harness/right/defined_program.json": ["tool=python3"],
    "examples/cases/leaky_client.json": ["leaky_client=/bin/true"],
    "examples/cases/fixed_client.json": ["fixed_client=/bin/true"],
}

# Files `sockdrill check` refuses for a rule JSON Schema cannot state: file -> that rule. Each
# must be refused by check and accepted by the schema, or the list is out of date.
BEYOND_SCHEMA = {
    "tests/harness/malformed/bad_reference.json": "a peer reference names a peer of the case",
    "tests/harness/fidelity/point_window.json": "until_ms > from_ms (two values compared)",
    "tests/schema/cases/cue_never_given.json": "a cue waited for is given by the timeline",
    "tests/schema/cases/counter_slip.json": "a counter name is not a slip of one this kernel has",
    "tests/schema/cases/events_of_a_command.json":
        "a command's only events are exit (the kind of the peer named)",
    "tests/schema/cases/from_after_until.json": "from_ms <= until_ms (two values compared)",
    "tests/schema/cases/program_missing.json": "a command's program exists on this machine",
    "tests/schema/cases/toxic_name_twice.json": "toxic names are unique within a proxy",
    "tests/schema/cases/window_past_timeout.json": "a window ends before timeout_ms",
}


def unique_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def schema_answer(validator, path):
    """(accepted, why) from the validator; a file that is not JSON is refused."""
    try:
        doc = json.loads(strip_comments(path.read_text(encoding="utf-8")),
                         object_pairs_hook=unique_keys)
    except (ValueError, UnicodeDecodeError) as err:
        return False, "not JSON: " + str(err)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if not errors:
        return True, ""
    first = errors[0]
    return False, "/" + "/".join(str(p) for p in first.absolute_path) + ": " + first.message[:200]


def check_answer(sockdrill, source, path):
    rel = path.relative_to(source).as_posix()
    argv = [sockdrill, "check"]
    for define in DEFINES.get(rel, []):
        argv += ["--define", define]
    result = subprocess.run(argv + [str(path)], capture_output=True, text=True, cwd=source)
    if result.returncode not in (0, 2):
        raise SystemExit(f"{rel}: sockdrill check exited {result.returncode}: {result.stderr}")
    return result.returncode == 0, (result.stdout + result.stderr).strip().splitlines()[:1]


def without(schema, pointer):
    """`schema` with the node at the JSON pointer removed."""
    *path, last = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = schema
    for token in path:
        node = node[int(token)] if isinstance(node, list) else node[token]
    del node[int(last) if isinstance(node, list) else last]
    return schema


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sockdrill")
    parser.add_argument("source")
    parser.add_argument("--without", metavar="JSON_POINTER")
    args = parser.parse_args()
    sockdrill, source = args.sockdrill, pathlib.Path(args.source).resolve()
    schema = json.loads((source / "cases/schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)  # the schema is itself a valid 2020-12 schema
    if args.without:
        schema = without(schema, args.without)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    files = sorted(p for folder in CASE_FOLDERS for p in (source / folder).rglob("*.json")
                   if p != source / "cases/schema.json")
    problems, listed_seen = [], set()
    for path in files:
        rel = path.relative_to(source).as_posix()
        by_schema, why_schema = schema_answer(validator, path)
        by_check, why_check = check_answer(sockdrill, source, path)
        if rel in BEYOND_SCHEMA:
            listed_seen.add(rel)
            if by_check or not by_schema:
                problems.append(f"{rel}: listed as refused only for \"{BEYOND_SCHEMA[rel]}\", but "
                                f"check {'accepts' if by_check else 'refuses'} it and the schema "
                                f"{'accepts' if by_schema else 'refuses'} it {why_schema}")
            continue
        if by_schema != by_check:
            problems.append(f"{rel}: sockdrill check {'accepts' if by_check else 'refuses'} it "
                            f"{why_check}, the schema {'accepts' if by_schema else 'refuses'} it "
                            f"{why_schema}")
    for rel in sorted(set(BEYOND_SCHEMA) - listed_seen):
        problems.append(f"{rel}: listed in BEYOND_SCHEMA but no such case file")
    for p in problems:
        print(p)
    print(f"{len(files)} case files, {len(problems)} disagreements")
    if args.without:
        print(f"with {args.without} taken out of the schema: "
              f"{'noticed' if problems else 'NOT noticed'}")
        return 0 if problems else 1
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())

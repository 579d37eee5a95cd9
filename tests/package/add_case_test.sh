#!/usr/bin/env bash
# Checks sockdrill_add_case() at configure time: every misuse stops with its own message, and a
# right call registers the test with its command line, placeholders, timeout, labels and report
# folder (distinct even for names that differ only in characters a folder name cannot hold).
# usage: add_case_test.sh CMAKE CTEST ADD_CASE_MODULE WORK_DIR
set -uo pipefail
if [ $# -ne 4 ]; then
  echo "usage: $0 CMAKE CTEST ADD_CASE_MODULE WORK_DIR" >&2; exit 2
fi
cmake=$1 ctest=$2 module=$3 work=$4
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

rm -rf "$work" && mkdir -p "$work" || { echo "FAIL: cannot make $work"; exit 1; }
echo '{"name": "anything"}' >"$work/case.json"  # only its existence is checked at configure time
# Programs that exist (ctest lists a test's command only if its program does); never run here.
bin=$work/bin
mkdir -p "$bin"
for f in sockdrill sockdrill-peer tool ns-tool; do printf '#!/bin/sh\nexit 99\n' >"$bin/$f" && chmod +x "$bin/$f"; done

# Stand-ins for what find_package(sockdrill) gives, so only the function itself is under test.
imported="
add_executable(sockdrill::sockdrill IMPORTED)
set_target_properties(sockdrill::sockdrill PROPERTIES IMPORTED_LOCATION $bin/sockdrill)
add_executable(sockdrill::peer IMPORTED)
set_target_properties(sockdrill::peer PROPERTIES IMPORTED_LOCATION $bin/sockdrill-peer)"

# project NAME IMPORTED_TARGETS BODY: a project calling sockdrill_add_case as BODY says.
project_dir() {
  local dir=$work/$1
  mkdir -p "$dir" && cp "$work/case.json" "$dir/case.json"
  cat >"$dir/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(add_case_test NONE)
enable_testing()
$2
add_executable(tool IMPORTED)
set_target_properties(tool PROPERTIES IMPORTED_LOCATION $bin/tool)
add_executable(ns::tool IMPORTED)
set_target_properties(ns::tool PROPERTIES IMPORTED_LOCATION $bin/ns-tool)
add_library(lib INTERFACE)
include("$module")
$3
EOF
  echo "$dir"
}

n=0
# expect_error BODY MESSAGE [IMPORTED]: configuring must fail and print MESSAGE.
expect_error() {
  n=$((n + 1))
  local dir
  dir=$(project_dir "error$n" "${3-$imported}" "$1")
  if "$cmake" -S "$dir" -B "$dir/build" >"$dir/configure.log" 2>&1; then
    fail "configuring with '$1' succeeded; expected an error saying: $2"
  elif ! tr -s ' \n' ' ' <"$dir/configure.log" | grep -q -F -- "$2"; then
    cat "$dir/configure.log"; fail "configuring with '$1' failed without saying: $2"
  fi
}

expect_error 'sockdrill_add_case(NAME t)' 'NAME and CASE are required'
expect_error 'sockdrill_add_case(CASE case.json)' 'NAME and CASE are required'
expect_error 'sockdrill_add_case(NAME t CASE case.json BOGUS)' 'sockdrill_add_case(t): unexpected arguments: BOGUS'
expect_error 'sockdrill_add_case(NAME t CASE case.json)' \
  'target sockdrill::sockdrill is not defined; call find_package(sockdrill) first' ''
expect_error 'sockdrill_add_case(NAME t CASE nope.json)' 'nope.json does not exist'
expect_error 'sockdrill_add_case(NAME t CASE .)' 'does not exist'
expect_error 'sockdrill_add_case(NAME t CASE case.json TIMEOUT 0)' 'TIMEOUT must be a positive number of seconds, got "0"'
expect_error 'sockdrill_add_case(NAME t CASE case.json TIMEOUT 1m)' 'TIMEOUT must be a positive number of seconds, got "1m"'
expect_error 'sockdrill_add_case(NAME t CASE case.json COMMAND_TARGETS ghost)' \
  'COMMAND_TARGETS entry "ghost" is not a target'
expect_error 'sockdrill_add_case(NAME t CASE case.json COMMAND_TARGETS lib)' \
  'COMMAND_TARGETS entry "lib" is a INTERFACE_LIBRARY, not an executable target'
expect_error 'sockdrill_add_case(NAME t CASE case.json COMMAND_TARGETS ns::tool)' \
  'pass it as DEFINES <name>=$<TARGET_FILE:ns::tool> instead'
expect_error 'sockdrill_add_case(NAME t CASE case.json DEFINES port)' 'DEFINES entry "port" is not NAME=VALUE'
expect_error 'sockdrill_add_case(NAME t CASE case.json DEFINES 9port=1)' \
  'DEFINES name "9port" is not a valid placeholder name'
expect_error 'sockdrill_add_case(NAME t CASE case.json DEFINES a.port=1)' \
  'DEFINES name "a.port" is not a valid placeholder name'
expect_error 'sockdrill_add_case(NAME t CASE case.json DEFINES case_dir=/tmp)' \
  "{case_dir} is sockdrill's own placeholder"
expect_error 'sockdrill_add_case(NAME t CASE case.json COMMAND_TARGETS tool DEFINES tool=/bin/true)' \
  'placeholder {tool} is given twice'

# A right project: three tests, two of whose names differ only in characters a folder cannot hold.
dir=$(project_dir right "$imported" '
sockdrill_add_case(NAME "net/a b" CASE case.json COMMAND_TARGETS tool DEFINES port=8080 TIMEOUT 30 LABELS slow)
sockdrill_add_case(NAME net_a_b CASE ${CMAKE_CURRENT_SOURCE_DIR}/case.json)
sockdrill_add_case(NAME plain CASE case.json)')
if ! "$cmake" -S "$dir" -B "$dir/build" >"$dir/configure.log" 2>&1; then
  cat "$dir/configure.log"; fail "configuring a right project failed"
else
  (cd "$dir/build" && "$ctest" --show-only=json-v1) >"$dir/tests.json" 2>"$dir/ctest.log" \
    || { cat "$dir/ctest.log"; fail "ctest --show-only=json-v1 failed"; }
  # Each test as one line: its name, command line and properties, for plain greps.
  python3 - "$dir/tests.json" >"$dir/tests.txt" <<'EOF' || fail "cannot read ctest's JSON"
import json, sys
for t in json.load(open(sys.argv[1]))["tests"]:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    print(t["name"], "|", " ".join(t["command"]), "|", "timeout", props.get("TIMEOUT"), "|",
          "labels", ",".join(sorted(props.get("LABELS", []))), "|", " ".join(props.get("ENVIRONMENT", [])))
EOF
  hash=$(printf 'string(SHA1 h "net/a b")\nstring(SUBSTRING "${h}" 0 8 h)\nmessage("${h}")\n' \
           >"$dir/hash.cmake" && "$cmake" -P "$dir/hash.cmake" 2>&1)
  reports=$dir/build/sockdrill-reports
  want=(
    "net/a b | $bin/sockdrill run --define tool=$bin/tool --define port=8080 --report $reports/net_a_b-$hash $dir/case.json | timeout 30.0 | labels slow,sockdrill | SOCKDRILL_PEER=$bin/sockdrill-peer"
    "net_a_b | $bin/sockdrill run --report $reports/net_a_b $dir/case.json | timeout 120.0 | labels sockdrill | SOCKDRILL_PEER=$bin/sockdrill-peer"
    "plain | $bin/sockdrill run --report $reports/plain $dir/case.json | timeout 120.0 | labels sockdrill | SOCKDRILL_PEER=$bin/sockdrill-peer"
  )
  for line in "${want[@]}"; do
    grep -q -x -F -- "$line" "$dir/tests.txt" || { fail "no test registered as: $line"; cat "$dir/tests.txt"; }
  done
  [ "$(wc -l <"$dir/tests.txt")" -eq 3 ] || fail "expected 3 tests, got: $(cat "$dir/tests.txt")"
fi

[ "$failures" -eq 0 ] || { echo "FAIL: $failures check(s) failed (projects in $work)"; exit 1; }
echo "PASS: sockdrill_add_case: $n misuses refused with their messages; a right project registers its tests as expected"

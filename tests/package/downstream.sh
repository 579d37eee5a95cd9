#!/usr/bin/env bash
# Installs sockdrill from a build dir, builds a downstream project (examples/) against the
# installed package only, runs its ctest and checks the verdicts: fixed_client passes,
# leaky_client fails with a CLOSE_WAIT message; under the GoogleTest leak check, fixed_gtest
# passes and leaky_gtest fails exactly its leaky test, with a message naming the socket; under
# sockdrill guard (sockdrill_guard_tests), fixed_guarded passes and leaky_guarded fails, naming its
# process and its CLOSE_WAIT socket.
# usage: downstream.sh CMAKE CTEST SOCKDRILL_BUILD_DIR EXAMPLE_SOURCE_DIR WORK_DIR
set -uo pipefail
if [ $# -ne 5 ]; then
  echo "usage: $0 CMAKE CTEST SOCKDRILL_BUILD_DIR EXAMPLE_SOURCE_DIR WORK_DIR" >&2; exit 2
fi
cmake=$1 ctest=$2 build=$3 example=$4 work=$5
prefix=$work/prefix example_build=$work/build
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
die() { echo "FAIL: $*"; exit 1; }

rm -rf "$work" && mkdir -p "$work" || die "cannot make $work"

echo "== cmake --install $build --prefix $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; die "cmake --install failed"; }
for f in bin/sockdrill bin/sockdrill-peer; do
  [ -x "$prefix/$f" ] || fail "the installed tree has no executable $f"
done
config=$(find "$prefix" -path '*/cmake/sockdrill/sockdrillConfig.cmake' | head -n1)
[ -n "$config" ] || fail "the installed tree has no .../cmake/sockdrill/sockdrillConfig.cmake"
for f in include/sockdrill/leak_check.hpp; do
  [ -f "$prefix/$f" ] || fail "the installed tree has no $f"
done
for f in sockdrillConfigVersion.cmake sockdrillTargets.cmake sockdrillGTestTargets.cmake SockdrillAddCase.cmake; do
  [ -z "$config" ] || [ -f "$(dirname "$config")/$f" ] || fail "the installed package has no $f"
done
[ "$failures" -eq 0 ] || die "the installed tree is incomplete"

echo "== configure and build $example against $prefix only"
"$cmake" -S "$example" -B "$example_build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; die "configuring the example project failed"; }
"$cmake" --build "$example_build" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; die "building the example project failed"; }
# The package must be the installed one, and the tests must run the installed sockdrill.
found_dir=$(sed -n 's/^sockdrill_DIR:PATH=//p' "$example_build/CMakeCache.txt")
[ "$found_dir" = "$(dirname "$config")" ] \
  || fail "find_package(sockdrill) found \"$found_dir\", not the installed $(dirname "$config")"
testfile=$example_build/CTestTestfile.cmake
grep -q -F "$prefix/bin/sockdrill" "$testfile" || fail "the example's tests do not run $prefix/bin/sockdrill"
if grep -q -F "$build/bin/" "$testfile"; then fail "the example's tests use programs of $build/bin"; fi
# The gtest binaries link the installed leak check, not the build tree's.
link=$example_build/CMakeFiles/leaky_gtest.dir/link.txt
grep -q -F "$prefix/lib/libsockdrill_gtest_main.a" "$link" \
  || fail "leaky_gtest does not link $prefix/lib/libsockdrill_gtest_main.a ($link)"
# ($work, which holds the prefix, may itself lie in the build dir.)
if sed "s|$work/||g" "$link" | grep -q -F "$build/"; then fail "leaky_gtest links files of $build ($link)"; fi

echo "== ctest in $example_build"
listed=$(cd "$example_build" && "$ctest" -N | sed -n 's/^ *Test *#[0-9]*: //p' | sort | tr '\n' ' ')
[ "$listed" = "fixed_client fixed_gtest fixed_guarded leaky_client leaky_gtest leaky_guarded " ] \
  || fail "the example registers \"$listed\", expected fixed_client, fixed_gtest, fixed_guarded, leaky_client, leaky_gtest and leaky_guarded"

# One test at a time, so each verdict and its output are its own.
run_one() { (cd "$example_build" && "$ctest" --no-tests=error --output-on-failure -R "^$1\$") >"$work/$1.log" 2>&1; }
run_one fixed_client; fixed_rc=$?
run_one leaky_client; leaky_rc=$?
echo "fixed_client: ctest exit $fixed_rc (expected 0); leaky_client: ctest exit $leaky_rc (expected non-zero)"

if [ "$fixed_rc" -ne 0 ] || ! grep -q "100% tests passed, 0 tests failed out of 1" "$work/fixed_client.log"; then
  cat "$work/fixed_client.log"; fail "fixed_client did not pass (the fixed pool must close idle connections the server closed)"
fi
if [ "$leaky_rc" -eq 0 ] || ! grep -q "0% tests passed, 1 tests failed out of 1" "$work/leaky_client.log"; then
  cat "$work/leaky_client.log"; fail "leaky_client did not fail (its sockets sit in CLOSE_WAIT; the case must catch it)"
elif ! grep -q '^FAIL .*leaky_client' "$work/leaky_client.log"; then
  cat "$work/leaky_client.log"; fail "leaky_client failed, but sockdrill did not report the case as FAIL (an error or a crash?)"
elif [ "$(grep -c -E '/expect/[0-9]+: ' "$work/leaky_client.log")" -ne 1 ] \
     || ! grep -q -E '/expect/[0-9]+: .*CLOSE_WAIT' "$work/leaky_client.log"; then
  cat "$work/leaky_client.log"; fail "leaky_client must fail on exactly one expectation, the CLOSE_WAIT one"
else
  echo "-- leaky_client's verdict:"; grep -A2 '^FAIL' "$work/leaky_client.log"
fi

run_one fixed_gtest; fixed_gtest_rc=$?
run_one leaky_gtest; leaky_gtest_rc=$?
echo "fixed_gtest: ctest exit $fixed_gtest_rc (expected 0); leaky_gtest: ctest exit $leaky_gtest_rc (expected non-zero)"
if [ "$fixed_gtest_rc" -ne 0 ]; then
  cat "$work/fixed_gtest.log"; fail "fixed_gtest did not pass (the fixed pool closes the connection the server closed)"
fi
[ "$leaky_gtest_rc" -ne 0 ] || { cat "$work/leaky_gtest.log"; fail "leaky_gtest passed: the leak check missed its CLOSE_WAIT socket"; }
# The JSON reports: which tests ran and failed, and the leak's message.
if ! python3 - "$example_build/leaky_gtest.json" "$example_build/fixed_gtest.json" <<'PY'
import json, re, sys
def tests(path):
    with open(path) as f:
        report = json.load(f)
    return {s["name"] + "." + t["name"]: [x["failure"] for x in t.get("failures", [])]
            for s in report["testsuites"] for t in s["testsuite"]}
problems = []
leaky, fixed = tests(sys.argv[1]), tests(sys.argv[2])
leaky_test = "SharedPool.ServerClosesAnIdleConnection"
if sorted(leaky) != sorted(fixed) or len(leaky) != 2:
    problems.append(f"expected the same 2 tests in both, got {sorted(leaky)} and {sorted(fixed)}")
failed = sorted(name for name, failures in leaky.items() if failures)
if failed != [leaky_test]:
    problems.append(f"leaky_gtest: expected only {leaky_test} to fail, failed: {failed}")
message = "\n".join(leaky.get(leaky_test, []))
pattern = (r"CLOSE_WAIT leak: pid \d+ \(\S*leaky_gtest[^)]*\), fd \d+\n"
           r"  127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+, CLOSE_WAIT for \d+\.\d\d s, recv-q 0, send-q 0\n"
           r"  the peer closed at \d+\.\d\d s; the program did not call close\(\) for \d+\.\d\d s")
if len(re.findall(pattern, message)) != 1 or message.count("CLOSE_WAIT leak:") != 1:
    problems.append("leaky_gtest: expected one CLOSE_WAIT leak naming its socket, got:\n" + message)
if any(fixed.values()):
    problems.append(f"fixed_gtest: expected no failure, got {fixed}")
for p in problems:
    print("FAIL:", p)
if not problems:
    print("-- leaky_gtest's failure of " + leaky_test + ":\n" + message)
sys.exit(1 if problems else 0)
PY
then
  cat "$work/leaky_gtest.log"; fail "the GoogleTest leak check did not judge the pool's tests right"
fi

# Under sockdrill guard (sockdrill_guard_tests): the run of leaky_guarded fails naming its process
# and one CLOSE_WAIT socket; fixed_guarded passes.
run_one fixed_guarded; fixed_guarded_rc=$?
run_one leaky_guarded; leaky_guarded_rc=$?
echo "fixed_guarded: ctest exit $fixed_guarded_rc (expected 0); leaky_guarded: ctest exit $leaky_guarded_rc (expected non-zero)"
[ "$fixed_guarded_rc" -eq 0 ] || { cat "$work/fixed_guarded.log"; fail "fixed_guarded did not pass under guard"; }
if [ "$leaky_guarded_rc" -eq 0 ]; then
  cat "$work/leaky_guarded.log"; fail "leaky_guarded passed: guard missed its CLOSE_WAIT socket"
elif ! grep -q -E '^sockdrill guard: CLOSE_WAIT leak: pid [0-9]+ \(\S*leaky_guarded\), fd [0-9]+$' "$work/leaky_guarded.log" \
     || ! grep -q -F '1 leaked socket(s): 1 in CLOSE_WAIT, 0 left behind' "$work/leaky_guarded.log"; then
  cat "$work/leaky_guarded.log"; fail "leaky_guarded must fail with one CLOSE_WAIT leak of its own process"
else
  echo "-- leaky_guarded under guard:"; grep '^sockdrill guard' "$work/leaky_guarded.log"
fi
grep -q -F "$prefix/bin/sockdrill" "$example_build/CTestTestfile.cmake" "$example_build"/sockdrill_guard_tests.cmake \
  || fail "the guarded tests do not run the installed $prefix/bin/sockdrill"

[ "$failures" -eq 0 ] || die "$failures check(s) failed (logs in $work)"
echo "PASS: installed package works downstream: fixed_client passes, leaky_client fails on CLOSE_WAIT;"
echo "      fixed_gtest passes, leaky_gtest fails SharedPool.ServerClosesAnIdleConnection only, naming its CLOSE_WAIT socket"

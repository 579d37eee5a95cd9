#!/usr/bin/env bash
# Checks sockdrill_guard_tests() end to end with the built sockdrill: in a small project, the
# guarded leaky tests (an add_test and a gtest_discover_tests one) fail with guard's CLOSE_WAIT
# message, the guarded clean test passes, an unguarded leaky test still passes; misuse stops
# configuring with its own message.
# usage: guard_tests_function.sh CMAKE CTEST GUARD_MODULE SOCKDRILL PROGRAMS_DIR WORK_DIR
set -uo pipefail
if [ $# -ne 6 ]; then
  echo "usage: $0 CMAKE CTEST GUARD_MODULE SOCKDRILL PROGRAMS_DIR WORK_DIR" >&2; exit 2
fi
cmake=$1 ctest=$2 module=$3 sockdrill=$4 programs=$5 work=$6
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
rm -rf "$work" && mkdir -p "$work/src/sub" || { echo "FAIL: cannot make $work"; exit 1; }

# Debian's interpreter, not a shim found in PATH (pyenv's takes seconds to start under load).
python=/usr/bin/python3
[ -x "$python" ] || python=python3
leak="$python $programs/leak_close_wait.py 1.6"
clean="$python $programs/closes_within_settle.py"
cat >"$work/src/leak_test.cpp" <<'CPP'
// One leaky GoogleTest test: the server closes, the client never does.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>
#include <chrono>
#include <thread>
TEST(Pool, LeaksOne) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(l, (sockaddr*)&a, sizeof a), 0);
  ASSERT_EQ(listen(l, 1), 0);
  socklen_t n = sizeof a;
  getsockname(l, (sockaddr*)&a, &n);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(c, (sockaddr*)&a, sizeof a), 0);
  close(accept(l, nullptr, nullptr));
  char b;
  EXPECT_EQ(read(c, &b, 1), 0);
  close(l);
  std::this_thread::sleep_for(std::chrono::milliseconds(1600));  // c is never closed
}
TEST(Pool, Clean) { SUCCEED(); }
CPP
cat >"$work/src/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(guard_tests_function CXX)
enable_testing()
add_executable(sockdrill::sockdrill IMPORTED)
set_target_properties(sockdrill::sockdrill PROPERTIES IMPORTED_LOCATION "$sockdrill")
include("$module")
find_package(GTest REQUIRED)
include(GoogleTest)
add_test(NAME leaky COMMAND $leak)
add_test(NAME clean COMMAND $clean)
add_test(NAME leaky_unguarded COMMAND $leak)
sockdrill_guard_tests(leaky clean OPTIONS --settle-ms 800)
add_subdirectory(sub)
sockdrill_guard_tests(DIRECTORY sub)
EOF
cat >"$work/src/sub/CMakeLists.txt" <<EOF
add_executable(leak_test ../leak_test.cpp)
target_link_libraries(leak_test PRIVATE GTest::gtest_main)
gtest_discover_tests(leak_test TEST_PREFIX "gtest/")
EOF
"$cmake" -S "$work/src" -B "$work/build" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; echo "FAIL: configuring the project failed"; exit 1; }
"$cmake" --build "$work/build" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; echo "FAIL: building the project failed"; exit 1; }

# expect TEST STATUS [TEXT]: ctest -R ^TEST$ exits with STATUS (0 or non-0) and prints TEXT.
expect() {
  local name=$1 want=$2 text=${3:-} log
  log=$(cd "$work/build" && "$ctest" --no-tests=error --output-on-failure -R "^$name\$" 2>&1)
  local rc=$?
  if { [ "$want" = 0 ] && [ $rc -ne 0 ]; } || { [ "$want" != 0 ] && [ $rc -eq 0 ]; }; then
    echo "$log"; fail "$name: ctest exit $rc, expected $([ "$want" = 0 ] && echo 0 || echo non-zero)"
  elif [ -n "$text" ] && ! grep -q -F -- "$text" <<<"$log"; then
    echo "$log"; fail "$name: its output does not say \"$text\""
  else
    echo "ok: $name (ctest exit $rc)"
  fi
}
expect leaky 1 "sockdrill guard: CLOSE_WAIT leak: pid"
expect clean 0
expect leaky_unguarded 0
expect gtest/Pool.LeaksOne 1 "sockdrill guard: CLOSE_WAIT leak: pid"
expect gtest/Pool.Clean 0
[ -f "$work/build/sockdrill-guard/leaky.json" ] || fail "no report $work/build/sockdrill-guard/leaky.json"
[ -f "$work/build/sub/sockdrill-guard/gtest/Pool.LeaksOne.json" ] \
  || fail "no report $work/build/sub/sockdrill-guard/gtest/Pool.LeaksOne.json"

# Misuse stops configuring, saying why.
n=0
misuse() {
  local body=$1 message=$2 dir=$work/misuse$((++n))
  mkdir -p "$dir"
  printf 'cmake_minimum_required(VERSION 3.25)\nproject(m NONE)\nenable_testing()\n%s\ninclude("%s")\n%s\n' \
    "$3" "$module" "$body" >"$dir/CMakeLists.txt"
  local out
  out=$("$cmake" -S "$dir" -B "$dir/build" 2>&1) && { fail "configuring \"$body\" succeeded"; return; }
  # CMake wraps its messages: compare with the lines joined.
  tr -s ' \n' '  ' <<<"$out" | grep -q -F -- "$message" \
    || { echo "$out"; fail "configuring \"$body\" did not say \"$message\""; }
}
imported="add_executable(sockdrill::sockdrill IMPORTED)
set_target_properties(sockdrill::sockdrill PROPERTIES IMPORTED_LOCATION \"$sockdrill\")"
misuse "sockdrill_guard_tests()" "target sockdrill::sockdrill is not defined" ""
misuse "sockdrill_guard_tests(DIRECTORY nowhere)" "is not a directory of this project" "$imported"
misuse "sockdrill_guard_tests(OPTIONS --report x.json)" "OPTIONS must not hold --report" "$imported"
misuse "sockdrill_guard_tests(a OPTIONS --keep)
sockdrill_guard_tests(b OPTIONS --settle-ms 5)" "differ from those of an earlier call" "$imported"

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed (logs in $work)"; exit 1; }
echo "PASS: sockdrill_guard_tests guards the tests it names (add_test and gtest_discover_tests) and no other"

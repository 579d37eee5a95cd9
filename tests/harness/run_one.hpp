// One case run through `sockdrill run --report`, read back: what the fidelity tests share.
#pragma once
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/harness/cli_support.hpp"

namespace sockdrill::cli_test {

// Runs `args` with --report into a fresh folder; the summary's only case.
struct Ran {
  Outcome outcome;
  Json kase;    // summary.json's case
  Json report;  // the case's own report
};

inline Ran run_one(const std::string& tag, const fs::path& file, std::vector<std::string> extra = {}) {
  const fs::path dir = temp_dir(tag);
  std::vector<std::string> args = {"run", "--report", dir.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file.string());
  Ran r;
  r.outcome = run_sockdrill(args);
  const Json summary = read_json(dir / "summary.json");
  if (summary["cases"].size() == 1) {
    r.kase = summary["cases"][0];
    r.report = read_json(dir / "cases" / (r.kase["name"].get<std::string>() + ".json"));
  }
  fs::remove_all(dir);
  return r;
}

inline fs::path write_case(const std::string& tag, const Json& kase) {
  const fs::path file = temp_dir(tag + "-case") / (tag + ".json");
  std::ofstream(file) << kase.dump(2);
  return file;
}

// `kase` written to a folder of its own, run as run_one does, and the folder removed.
inline Ran run_written(const std::string& tag, const Json& kase, std::vector<std::string> extra = {}) {
  const fs::path file = write_case(tag, kase);
  Ran r = run_one(tag, file, std::move(extra));
  fs::remove_all(file.parent_path());
  return r;
}

}  // namespace sockdrill::cli_test

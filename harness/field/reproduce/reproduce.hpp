// `reproduce`: a case that shows a finding's mechanism at the size the snapshot saw, with a
// stand-in `command` where the user's program goes. One generator per finding kind, each in its
// own file, listed in reproducers.cpp.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/field/findings/finding.hpp"

namespace sockdrill::field {

struct Reproduction {
  Json case_json;                        // a case file's contents, key order kept
  std::vector<std::string> assumptions;  // also in its about: what the snapshot did not say
};

using Reproducer = Reproduction (*)(const ExplainInput& input, const Finding& finding);

struct ReproducerKind {
  const char* finding;  // the finding kind it reproduces
  Reproducer make;
};

std::span<const ReproducerKind> reproducers();

// The case for `finding`, or nullopt (with `why_not`) when no generator knows its kind.
std::optional<Reproduction> reproduce(const ExplainInput& input, const Finding& finding, std::string& why_not);

}  // namespace sockdrill::field

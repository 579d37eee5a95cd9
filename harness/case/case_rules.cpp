// The entry to the case checker (harness/case/case_checker.hpp and its check_*.cpp parts).
#include "harness/case/case_rules.hpp"

#include "harness/case/case_checker.hpp"

namespace sockdrill {

void check_case_document(const Json& doc, CaseSpec& spec, CaseCheck& check) {
  CaseChecker(doc, spec, check).run();
}

}  // namespace sockdrill

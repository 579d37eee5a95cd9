// The table of report writers that an option selects; one row each, in --help order.
#include "reports/writers.hpp"

#include <array>

namespace sockdrill::reports {
namespace {

const std::array kFileWriters{
    Writer{"json_dir", "--report", Destination::folder,
           "write DIR/summary.json, DIR/cases/NAME.json and DIR/index.html", write_json_dir},
    Writer{"junit", "--junit", Destination::file, "write a JUnit XML report", write_junit_file},
    Writer{"trace", "--trace", Destination::file,
           "write a Chrome trace (Perfetto, chrome://tracing) of every case", write_trace_file},
    Writer{"html", "--html", Destination::file, "write an HTML report with a timeline per case",
           write_html_file},
};

}  // namespace

std::span<const Writer> file_writers() {
  return kFileWriters;
}

const Writer* writer_for_option(std::string_view option) {
  for (const Writer& w : kFileWriters)
    if (w.option == option) return &w;
  return nullptr;
}

}  // namespace sockdrill::reports

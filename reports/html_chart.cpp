// Draws a case's timeline as SVG from chart_data: bounded in size whatever the case's size.
#include "reports/html_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "common/utf8.hpp"
#include "reports/chart_data.hpp"
#include "reports/xml_text.hpp"

namespace sockdrill::reports {
namespace {

using chart::Lane;
using chart::Mark;
using chart::ms_text;
using chart::Span;

// Layout in the SVG's own units; it scales to the page's width.
constexpr double kWidth = 1200, kLeft = 140, kRight = 16;
constexpr double kLineLift = 2.5;  // between lines, in pixels
constexpr double kLaneHeight = 16, kPlotHeight = 170, kAxisHeight = 18, kRowHeight = 17;

constexpr std::array kColors{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                             "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};

std::string num(double v) {
  return ms_text(v);
}

// At most `max` characters (code points) of `text`, with an ellipsis when cut.
std::string shortened(const std::string& text, std::size_t max) {
  std::size_t i = 0, n = 0;
  while (i < text.size() && n < max) {
    i += decode_utf8(text, i).second;
    ++n;
  }
  return i >= text.size() ? text : text.substr(0, i) + "\xE2\x80\xA6";
}

// 1, 2 or 5 times a power of ten: about `wanted` steps over `span`.
double tick_step(double span, double wanted) {
  const double raw = span / wanted;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}

const char* tone_class(Mark::Tone t) {
  switch (t) {
    case Mark::alarm:
      return "alarm";
    case Mark::reset:
      return "reset";
    case Mark::exit:
      return "exit";
    case Mark::plain:
      break;
  }
  return "plain";
}

class Drawing {
 public:
  Drawing(std::ostream& out, const CaseRecord& c)
      : out_(out), c_(c), range_(chart::time_range(c)) {}

  void write() {
    const chart::CountChart counts = chart::count_chart(c_, range_);
    const Lane notes = chart::timeline_lane(c_, range_);
    const std::vector<Lane> lanes = chart::event_lanes(c_, range_);
    write_legend(counts);
    const double notes_top = 2;
    const double plot_top = notes_top + kLaneHeight + 4;
    const double lanes_top = plot_top + kPlotHeight + kAxisHeight;
    const double rows_top = lanes_top + kLaneHeight * static_cast<double>(lanes.size()) + 4;
    const double height = rows_top + kRowHeight * static_cast<double>(c_.expectations.size()) + 4;
    out_ << "<svg class=\"chart\" viewBox=\"0 0 " << num(kWidth) << " " << num(height)
         << "\" role=\"img\" aria-label=\"timeline of " << html_text(c_.name) << "\">\n";
    write_lane(notes, notes_top, true, plot_top + kPlotHeight);
    write_plot(counts, plot_top);
    for (std::size_t i = 0; i < lanes.size(); ++i)
      write_lane(lanes[i], lanes_top + kLaneHeight * static_cast<double>(i), false, 0);
    for (std::size_t i = 0; i < c_.expectations.size(); ++i)
      write_expectation_row(c_.expectations[i], rows_top + kRowHeight * static_cast<double>(i));
    out_ << "</svg>\n";
  }

 private:
  double x(double t_ms) const {
    return kLeft +
           (t_ms - range_.from_ms) / (range_.to_ms - range_.from_ms) * (kWidth - kLeft - kRight);
  }

  void write_legend(const chart::CountChart& counts) {
    out_ << "<div class=\"legend\">";
    if (counts.series.empty()) out_ << "<span>no sockets were sampled</span>";
    for (std::size_t i = 0; i < counts.series.size(); ++i)
      out_ << "<span><i style=\"background:" << kColors[i % kColors.size()] << "\"></i>"
           << html_text(counts.series[i].name) << " (max " << counts.series[i].max << ")</span>";
    if (!counts.exact)
      out_ << "<span class=\"note\">each point is the maximum over "
           << num(counts.columns.front().to_ms - counts.columns.front().from_ms) << " ms</span>";
    out_ << "</div>\n";
  }

  void write_plot(const chart::CountChart& counts, double top) {
    const double bottom = top + kPlotHeight;
    const std::int64_t ymax = std::max<std::int64_t>(1, counts.max);
    const double ystep = std::max(1.0, tick_step(static_cast<double>(ymax), 4));
    const double ytop = std::ceil(static_cast<double>(ymax) / ystep) * ystep;
    const double lifts = kLineLift * static_cast<double>(counts.series.size());
    auto y = [&](double v) { return bottom - 2 - v / ytop * (kPlotHeight - 12 - lifts); };
    out_ << "<rect class=\"plot\" x=\"" << num(kLeft) << "\" y=\"" << num(top) << "\" width=\""
         << num(kWidth - kLeft - kRight) << "\" height=\"" << num(kPlotHeight) << "\"/>\n";
    out_ << "<text class=\"axis\" x=\"4\" y=\"" << num(top + 12) << "\">sockets</text>\n";
    for (double v = 0; v <= ytop; v += ystep)
      out_ << "<line class=\"grid\" x1=\"" << num(kLeft) << "\" x2=\"" << num(kWidth - kRight)
           << "\" y1=\"" << num(y(v)) << "\" y2=\"" << num(y(v)) << "\"/><text class=\"axis\" x=\""
           << num(kLeft - 4) << "\" y=\"" << num(y(v) + 4) << "\" text-anchor=\"end\">" << num(v)
           << "</text>\n";
    const double xstep = tick_step(range_.to_ms - range_.from_ms, 10);
    for (double k = std::ceil(range_.from_ms / xstep); k * xstep <= range_.to_ms; ++k) {
      const double t = k * xstep;
      out_ << "<line class=\"tick\" x1=\"" << num(x(t)) << "\" x2=\"" << num(x(t)) << "\" y1=\""
           << num(bottom) << "\" y2=\"" << num(bottom + 4) << "\"/><text class=\"axis\" x=\""
           << num(x(t)) << "\" y=\"" << num(bottom + 15) << "\" text-anchor=\"middle\">" << num(t)
           << (t == 0 ? " ms" : "") << "</text>\n";
    }
    for (const ExpectationRecord& e : c_.expectations) {
      if (!e.window_from_ms || !e.window_to_ms) continue;
      const double x1 = x(*e.window_from_ms), x2 = std::max(x(*e.window_to_ms), x1 + 1.5);
      out_ << "<rect class=\"window " << result_name(e.result) << "\" data-expectation=\""
           << e.index << "\" x=\"" << num(x1) << "\" y=\"" << num(top) << "\" width=\""
           << num(x2 - x1) << "\" height=\"" << num(kPlotHeight) << "\"><title>"
           << html_text(expectation_title(e)) << "</title></rect>\n";
    }
    for (std::size_t i = 0; i < counts.series.size(); ++i) {
      const chart::Series& s = counts.series[i];
      std::string path;
      bool drawing = false;
      for (std::size_t j = 0; j < counts.columns.size(); ++j) {
        if (s.values[j] < 0) {
          drawing = false;
          continue;
        }
        // Each line a little above the one before, so lines on the same values stay visible.
        const std::string yv =
            num(y(static_cast<double>(s.values[j])) - kLineLift * static_cast<double>(i));
        path += drawing ? "V" + yv : "M" + num(x(counts.columns[j].from_ms)) + " " + yv;
        path += "H" + num(x(counts.columns[j].to_ms));
        drawing = true;
      }
      out_ << "<path class=\"series\" stroke=\"" << kColors[i % kColors.size()] << "\" d=\"" << path
           << "\"><title>" << html_text(s.name) << ", at most " << s.max << "</title></path>\n";
    }
    // Hover: one strip per column with every line's value there.
    for (std::size_t j = 0; j < counts.columns.size(); ++j) {
      const Span& col = counts.columns[j];
      std::string text = (counts.exact ? "" : "max ") + std::string("from ") +
                         ms_text(col.from_ms) + " to " + ms_text(col.to_ms) + " ms:";
      for (std::size_t i = 0; i < counts.series.size(); ++i)
        if (counts.series[i].values[j] >= 0)
          text += (i ? ", " : " ") + counts.series[i].name + "=" +
                  std::to_string(counts.series[i].values[j]);
      out_ << "<rect class=\"hover\" x=\"" << num(x(col.from_ms)) << "\" y=\"" << num(top)
           << "\" width=\"" << num(std::max(0.5, x(col.to_ms) - x(col.from_ms))) << "\" height=\""
           << num(kPlotHeight) << "\"><title>" << html_text(text) << "</title></rect>\n";
    }
  }

  // A lane of marks; the timeline's single marks also draw a line down to `line_to`.
  void write_lane(const Lane& lane, double top, bool notes, double line_to) {
    if (lane.marks.empty()) return;
    out_ << "<text class=\"lane\" x=\"4\" y=\"" << num(top + 12) << "\">"
         << html_text(shortened(lane.name, 20)) << "<title>" << html_text(lane.name)
         << "</title></text>\n";
    std::int64_t most = 1;
    for (const Mark& m : lane.marks) most = std::max(most, m.count);
    for (const Mark& m : lane.marks) {
      const char* tone = tone_class(m.tone);
      const double mx = x(m.at.from_ms), mid = top + kLaneHeight / 2;
      if (lane.binned) {
        const double h = std::max(
            2.0, (kLaneHeight - 2) * static_cast<double>(m.count) / static_cast<double>(most));
        out_ << "<rect class=\"bin " << tone << "\" x=\"" << num(mx) << "\" y=\""
             << num(top + kLaneHeight - 1 - h) << "\" width=\""
             << num(std::max(1.0, x(m.at.to_ms) - mx - 0.5)) << "\" height=\"" << num(h)
             << "\"><title>" << html_text(m.text) << "</title></rect>\n";
      } else if (notes) {
        out_ << "<g class=\"note " << tone << "\"><line x1=\"" << num(mx) << "\" x2=\"" << num(mx)
             << "\" y1=\"" << num(top) << "\" y2=\"" << num(line_to) << "\"/><text x=\""
             << num(mx + 2) << "\" y=\"" << num(top + 11) << "\">"
             << html_text(shortened(m.text.substr(m.text.find(": ") + 2), 24)) << "</text><title>"
             << html_text(m.text) << "</title></g>\n";
      } else {
        out_ << "<path class=\"event " << tone << "\" d=\"" << marker(m.tone, mx, mid)
             << "\"><title>" << html_text(m.text) << "</title></path>\n";
      }
    }
  }

  static std::string marker(Mark::Tone tone, double cx, double cy) {
    const std::string x0 = num(cx), y0 = num(cy);
    switch (tone) {
      case Mark::alarm:  // a triangle
        return "M" + x0 + " " + num(cy - 6) + "L" + num(cx + 5) + " " + num(cy + 4) + "H" +
               num(cx - 5) + "Z";
      case Mark::reset:  // a diamond
        return "M" + x0 + " " + num(cy - 6) + "L" + num(cx + 5) + " " + y0 + "L" + x0 + " " +
               num(cy + 6) + "L" + num(cx - 5) + " " + y0 + "Z";
      case Mark::exit:  // a square
        return "M" + num(cx - 4) + " " + num(cy - 4) + "h8v8h-8Z";
      case Mark::plain:
        break;
    }
    return "M" + x0 + " " + num(cy - 5) + "V" + num(cy + 5);  // a tick
  }

  static std::string expectation_title(const ExpectationRecord& e) {
    std::string text = "#" + std::to_string(e.index) + " " + std::string(result_name(e.result));
    if (!e.label.empty()) text += ": " + e.label;
    return text + "\n" + e.message;
  }

  void write_expectation_row(const ExpectationRecord& e, double top) {
    const std::string result(result_name(e.result));
    out_ << "<g class=\"expectation " << result << "\"><text class=\"lane\" x=\"4\" y=\""
         << num(top + 12) << "\">#" << e.index << " " << result << "</text>";
    double text_x = kLeft + 3;
    if (e.window_from_ms && e.window_to_ms) {
      const double x1 = x(*e.window_from_ms), x2 = std::max(x(*e.window_to_ms), x1 + 1.5);
      out_ << "<rect class=\"bar\" x=\"" << num(x1) << "\" y=\"" << num(top + 2) << "\" width=\""
           << num(x2 - x1) << "\" height=\"" << num(kRowHeight - 3) << "\"/>";
      text_x = x1 + 3;
    }
    if (e.decided_at_ms)
      out_ << "<line class=\"decided\" x1=\"" << num(x(*e.decided_at_ms)) << "\" x2=\""
           << num(x(*e.decided_at_ms)) << "\" y1=\"" << num(top + 1) << "\" y2=\""
           << num(top + kRowHeight - 1) << "\"/>";
    const std::string words = e.label.empty() ? e.where : e.label;
    out_ << "<text x=\"" << num(std::min(text_x, kWidth - 300)) << "\" y=\"" << num(top + 12)
         << "\">" << html_text(shortened(words, 90)) << "</text><title>"
         << html_text(expectation_title(e) +
                      (e.decided_at_ms ? "\ndecided at " + ms_text(*e.decided_at_ms) + " ms" : ""))
         << "</title></g>\n";
  }

  std::ostream& out_;
  const CaseRecord& c_;
  Span range_;
};

}  // namespace

std::string html_text(std::string_view text) {
  return xml_escape(text, XmlPlace::attribute);
}

void write_case_chart(std::ostream& out, const CaseRecord& c) {
  Drawing(out, c).write();
}

}  // namespace sockdrill::reports

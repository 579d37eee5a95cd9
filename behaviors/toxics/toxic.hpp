// A proxy's toxics: what each one does to one direction (stream) of one relayed connection.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "behaviors/parse_context.hpp"
#include "common/json.hpp"

namespace sockdrill::behaviors {

using ToxicClock = std::chrono::steady_clock;

// What a stream delivers to its destination, strictly in order, each not before its time.
struct Piece {
  enum Kind {
    data,              // bytes to write
    fin,               // the source's FIN, relayed as shutdown(SHUT_WR) on the destination
    hold,              // a FIN that is not relayed: the relay never closes this connection
    close_connection,  // close() both sides of the connection
  } kind = data;
  std::string bytes;
  ToxicClock::time_point not_before{};
};

// What a toxic may do to the stream it sits on; the relay implements it.
class StreamControl {
 public:
  virtual ~StreamControl() = default;
  // Stop (and later resume) relaying: nothing more is taken from the source (the kernel's
  // buffers fill, then the sender's writes wait) and nothing queued is delivered. Counted: every
  // pause needs its resume.
  virtual void pause_relaying() = 0;
  virtual void resume_relaying() = 0;
  // RST to the side this stream writes to (SO_LINGER 0 close); the other side is close()d.
  virtual void reset_destination() = 0;
  // close() both sides now.
  virtual void close_connection() = 0;
  // Runs `action` after `delay` unless the connection ended first or the returned handle is
  // dropped (a removed toxic drops its handles).
  using Handle = std::shared_ptr<void>;
  virtual Handle after(std::chrono::milliseconds delay, std::function<void()> action) = 0;
};

class Toxic {
 public:
  virtual ~Toxic() = default;
  // Starts acting on a stream: when the connection opens, or when added to an open one.
  virtual void attach(StreamControl&) {}
  // Stops acting: the toxic was removed while the connection stays (not called at its end).
  virtual void detach(StreamControl&) {}
  // Shapes what the stream just took from its source, in order: may delay, split, drop, append.
  virtual void shape(std::vector<Piece>&, ToxicClock::time_point now) {}
};

// One toxic type's attributes, typed and range-checked (see toxic_params.hpp).
class ToxicParams {
 public:
  virtual ~ToxicParams() = default;
  virtual Json to_json() const = 0;  // its attributes only, e.g. {"latency_ms":100,"jitter_ms":10}
  // The toxic for one stream of one connection; `seed` is its own: jitter and slice sizes come
  // from it.
  virtual std::unique_ptr<Toxic> make(std::uint64_t seed) const = 0;
};

struct ToxicKind {
  std::string_view type;
  // Reads this type's attributes from the whole toxic object at `pointer` (the other keys are
  // parse_toxic's); every problem goes to ctx.diag; nullptr when invalid.
  std::shared_ptr<const ToxicParams> (*parse)(const Json& toxic, const std::string& pointer,
                                              ParseContext& ctx);
  std::vector<std::string_view> attributes;  // its attribute keys (for unknown-key messages)
  Json (*schema)();  // JSON Schema properties of its attributes (cases/schema.json, $defs/toxic)
};

// Every toxic type, in the order of the case format (docs/case-format.md) (behaviors/toxics/table.cpp).
std::span<const ToxicKind> toxic_table();
const ToxicKind* find_toxic(std::string_view type);

// One toxic as the case gives it.
struct ToxicSpec {
  std::string name;
  const ToxicKind* kind = nullptr;
  bool upstream = false;  // "upstream": client to server; default "downstream": server to client
  double toxicity = 1.0;  // the share of connections it acts on
  std::shared_ptr<const ToxicParams> params;
  Json to_json() const;  // the whole toxic object as a case writes it
};

// One toxic object: name (non-empty), type (one of the table), stream, toxicity 0..1 and the
// type's attributes; unknown keys are errors (listing the allowed ones for that type). nullopt
// when invalid (behaviors/toxics/spec.cpp).
std::optional<ToxicSpec> parse_toxic(const Json& toxic, const std::string& pointer,
                                     ParseContext& ctx);
// JSON Schema of a toxic object (cases/schema.json, $defs/toxic).
Json toxic_schema();

// The seed of one toxic on one connection, from the case seed (same case seed, same draws).
std::uint64_t toxic_seed(std::uint64_t case_seed, const std::string& toxic_name, int connection);
// Whether the toxic acts on this connection at all: its `toxicity` is the share of connections.
bool toxic_applies(const ToxicSpec& spec, std::uint64_t case_seed, int connection);

}  // namespace sockdrill::behaviors

// A proxy's toxics: what each one does to one direction (stream) of one relayed connection.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

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

// One toxic as the case gives it (validated by the case parser).
struct ToxicSpec {
  std::string name;
  std::string type;
  bool upstream = false;  // "upstream": client to server; default "downstream": server to client
  double toxicity = 1.0;
  Json attributes = Json::object();  // the whole toxic object
  // An integer attribute, or `fallback` when absent (every attribute is optional).
  std::int64_t attr(const char* key, std::int64_t fallback = 0) const;
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

struct ToxicKind {
  std::string_view type;
  std::vector<std::string_view> attributes;  // integer attributes, all optional
  // `seed` is this toxic's own, for this connection: jitter and slice sizes come from it.
  std::unique_ptr<Toxic> (*make)(const ToxicSpec&, std::uint64_t seed);
};

// A ToxicKind's `make` for toxic class T: built from (spec, seed) when it draws random numbers,
// from (spec) when it only reads attributes, or from nothing.
template <class T>
std::unique_ptr<Toxic> make_toxic(const ToxicSpec& spec, std::uint64_t seed) {
  if constexpr (std::is_constructible_v<T, const ToxicSpec&, std::uint64_t>)
    return std::make_unique<T>(spec, seed);
  else if constexpr (std::is_constructible_v<T, const ToxicSpec&>)
    return std::make_unique<T>(spec);
  else
    return std::make_unique<T>();
}

// Every toxic type, in the order of CASE_FORMAT.md.
std::span<const ToxicKind> toxic_table();
const ToxicKind* find_toxic(std::string_view type);

// Reads a toxic object; throws std::invalid_argument on what the parser would have refused.
ToxicSpec toxic_spec_from_json(const Json& toxic);

// The seed of one toxic on one connection, from the case seed (same case seed, same draws).
std::uint64_t toxic_seed(std::uint64_t case_seed, const std::string& toxic_name, int connection);
// Whether the toxic acts on this connection at all: its `toxicity` is the share of connections.
bool toxic_applies(const ToxicSpec& spec, std::uint64_t case_seed, int connection);

}  // namespace sockdrill::behaviors

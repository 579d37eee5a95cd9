// The line protocol between the runner and sockdrill-peer: one JSON object per line.
//
// Runner -> peer (the peer's stdin):
//   {"type":"config","name":"server","spec":{...},"seed":N}
//       first line; "spec" is the peer's object from the case with every placeholder resolved
//       ("listen.port" an integer, "connect.to" as "ADDRESS:PORT"). Optional "t0_ns": when
//       present, t = 0 has already passed (a peer with start_ms) and the peer starts at once.
//   {"type":"start","t0_ns":N}    t = 0: clients begin to connect; after_ms counts from t0_ns
//   {"type":"cue","name":"NAME"}  release every wait on NAME (cues stay given)
//   {"type":"toxic","add":{TOXIC}} / {"type":"toxic","remove":"NAME"}
//       to a proxy only: a timeline `toxic` entry; applies to open relays and new ones
//   A proxy's "spec" is {"proxy":{"listen":{"address","port"},"to":"ADDRESS:PORT","toxics":[...]}}
//   and its config line carries "source" (the address its relays connect from) and "seed"
//   (toxicity draws, jitter, slice sizes).
//
// Peer -> runner (the peer's stdout):
//   {"type":"ready"}              the peer is set up (a server listens, or failed to bind)
//   {"type":"bound","address":"127.0.0.1","port":N}
//       a local endpoint this peer owns; written BEFORE connect()/listen() is called, so every
//       socket the observer sees was announced first
//   {"type":"event","t_ns":N,"kind":K,...}
//       t_ns is CLOCK_MONOTONIC when it happened. Optional fields: "conn" (0-based connection
//       index within the peer), "step" (0-based step index), "bytes", "errno" (symbolic name),
//       "local"/"remote" ("ADDRESS:PORT"), "detail" (text). Besides the format's kinds, a peer
//       sends "bytes_sent"/"bytes_received" with "bytes" after every write/read that moved
//       data: `bytes` expectations count those, so they see data as it moves.
//   {"type":"fatal","message":"..."}  a harness bug or an unusable spec; the peer then exits 70
#pragma once

namespace sockdrill::protocol {
inline constexpr int kFatalExitCode = 70;  // EX_SOFTWARE
}  // namespace sockdrill::protocol

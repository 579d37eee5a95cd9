// A user's subordinate id ranges (/etc/subuid, /etc/subgid) and newuidmap/newgidmap, which map them.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace sockdrill {

// Ids a program under test may switch to inside the case: nobody (65534) needs 1..65535 mapped.
constexpr std::uint64_t kFullIdRange = 65536;

struct IdRange {
  std::uint64_t start = 0;  // the first id outside
  std::uint64_t count = 0;
};

// The largest range that a subid file (lines NAME_OR_ID:START:COUNT, `#` comments) gives the
// user called `name` or numbered `id`; nullopt when none. An unreadable file has none.
std::optional<IdRange> find_subordinate_range(const std::string& path, const std::string& name,
                                              std::uint64_t id);

struct SubidFiles {
  std::string subuid = "/etc/subuid";
  std::string subgid = "/etc/subgid";
  bool operator==(const SubidFiles&) const = default;
};

// What a user needs to map a full range: its ranges and the two setuid helpers.
struct IdMapPlan {
  IdRange uids;
  IdRange gids;
  std::string newuidmap;  // full paths
  std::string newgidmap;
  std::string user;       // the passwd name the ranges were found under
  bool short_range() const { return uids.count < kFullIdRange || gids.count < kFullIdRange; }
  // "65536 uids from 200000, 65536 gids from 200000"
  std::string summary() const;
};

struct IdMapChoice {
  std::optional<IdMapPlan> plan;
  std::string why_not;  // when there is no plan: what is missing, and where
};

// Whether user `uid` (primary group `gid`) can have a full range mapped, and how.
IdMapChoice plan_id_maps(uid_t uid, gid_t gid, const SubidFiles& files = {});

// Runs newuidmap and newgidmap for process `pid` (which has just made a user namespace):
// 0 -> uid, 1..N -> the subordinate range, the same for gids. Returns "" or what went wrong.
std::string map_ids_for(pid_t pid, uid_t uid, gid_t gid, const IdMapPlan& plan);

}  // namespace sockdrill

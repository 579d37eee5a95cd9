// A toxic type's attributes declared once, as a list of typed fields; parse, to_json, schema and
// the attribute keys all come from that list:
//   struct LatencyParams {
//     NonNegativeInt latency_ms, jitter_ms;  // absent: the minimum
//     static constexpr auto fields() {
//       return std::tuple{Field{"latency_ms", &LatencyParams::latency_ms}, ...};
//     }
//   };
//   extern const ToxicKind latency_toxic = toxic_kind<Latency, LatencyParams>("latency");
// where Latency, the Toxic, is made from (const LatencyParams&, seed), (const LatencyParams&)
// or nothing.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "behaviors/ranged_int.hpp"
#include "behaviors/toxics/toxic.hpp"

namespace sockdrill::behaviors {

template <typename Params, typename Value>
struct Field {
  std::string_view key;
  Value Params::*member;
};
// Spelled out: clang before 17 does not deduce an aggregate's template arguments by itself.
template <typename Params, typename Value>
Field(std::string_view, Value Params::*) -> Field<Params, Value>;

struct NoParams {
  static constexpr auto fields() { return std::tuple<>{}; }
};

template <typename T, typename Params>
class FieldToxicParams final : public ToxicParams {
 public:
  explicit FieldToxicParams(const Params& params) : params_(params) {}

  Json to_json() const override {
    Json out = Json::object();
    each([&](auto field) { out[std::string(field.key)] = (params_.*field.member).to_json(); });
    return out;
  }
  std::unique_ptr<Toxic> make(std::uint64_t seed) const override {
    if constexpr (std::is_constructible_v<T, const Params&, std::uint64_t>)
      return std::make_unique<T>(params_, seed);
    else if constexpr (std::is_constructible_v<T, const Params&>)
      return std::make_unique<T>(params_);
    else
      return std::make_unique<T>();
  }

  static std::shared_ptr<const ToxicParams> parse(const Json& toxic, const std::string& pointer,
                                                  ParseContext& ctx) {
    Params params;
    bool ok = true;
    each([&](auto field) {
      ok = read_member(toxic, field.key, pointer, ctx.diag, params.*field.member) && ok;
    });
    if (!ok) return nullptr;
    return std::make_shared<FieldToxicParams>(params);
  }
  static Json schema() {
    Json properties = Json::object();
    each([&](auto field) {
      using Value = std::remove_reference_t<decltype(std::declval<Params>().*field.member)>;
      properties[std::string(field.key)] = Value::schema();
    });
    return properties;
  }
  static std::vector<std::string_view> attributes() {
    std::vector<std::string_view> keys;
    each([&](auto field) { keys.push_back(field.key); });
    return keys;
  }

 private:
  template <typename Visit>
  static void each(Visit&& visit) {
    std::apply([&](auto... field) { (visit(field), ...); }, Params::fields());
  }
  Params params_;
};

// The ToxicKind of toxic `T` whose attributes are `Params`.
template <typename T, typename Params = NoParams>
ToxicKind toxic_kind(std::string_view type) {
  using P = FieldToxicParams<T, Params>;
  return {type, P::parse, P::attributes(), P::schema};
}

}  // namespace sockdrill::behaviors

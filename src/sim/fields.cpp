// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sim/fields.hpp"

#include <optional>

#include "core/clock.hpp"
#include "sim/simulator.hpp"

namespace mortar::sim {

const Val* Fields::Find(std::string_view name) const {
    for (const auto& [k, v] : items) {
        if (IEquals(k, name)) return &v;
    }
    return nullptr;
}

void WriteVal(json::Writer& w, const Val& v) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, Null>) {
                w.Null();
            } else if constexpr (std::is_same_v<T, bool>) {
                w.Bool(x);
            } else if constexpr (std::is_same_v<T, int64_t>) {
                w.Int(x);
            } else if constexpr (std::is_same_v<T, std::string>) {
                w.String(x);
            } else {
                w.Raw(x.json);
            }
        },
        v
    );
}

std::optional<int> Compare(const Val& field, const Val& value) {
    auto sign = [](auto a, auto b) { return a < b ? -1 : a > b ? 1 : 0; };
    if (std::holds_alternative<int64_t>(field)) {
        if (std::holds_alternative<int64_t>(value)) return sign(std::get<int64_t>(field), std::get<int64_t>(value));
        if (std::holds_alternative<std::string>(value)) {
            try {
                return sign(static_cast<double>(std::get<int64_t>(field)), std::stod(std::get<std::string>(value)));
            } catch (...) {
                return std::nullopt;
            }
        }
        return std::nullopt;
    }
    if (std::holds_alternative<bool>(field)) {
        if (std::holds_alternative<bool>(value)) return sign(std::get<bool>(field), std::get<bool>(value));
        if (std::holds_alternative<int64_t>(value))
            return sign(int64_t{std::get<bool>(field)}, std::get<int64_t>(value));
        return std::nullopt;
    }
    if (std::holds_alternative<std::string>(field)) {
        const std::string& a = std::get<std::string>(field);
        std::string b;
        if (std::holds_alternative<std::string>(value)) {
            b = std::get<std::string>(value);
        } else if (std::holds_alternative<int64_t>(value)) {
            b = std::to_string(std::get<int64_t>(value));
        } else {
            return std::nullopt;
        }
        auto ta = ParseTimestamp(a);
        auto tb = ParseTimestamp(b);
        if (ta.ok() && tb.ok()) return sign(*ta, *tb);
        for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
            const int ca = std::tolower(static_cast<unsigned char>(a[i]));
            const int cb = std::tolower(static_cast<unsigned char>(b[i]));
            if (ca != cb) return ca < cb ? -1 : 1;
        }
        return sign(a.size(), b.size());
    }
    return std::nullopt;
}

std::string TextOf(const Val& v) {
    if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
    if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
    if (std::holds_alternative<bool>(v)) return std::get<bool>(v) ? "true" : "false";
    return {};
}

}  // namespace mortar::sim

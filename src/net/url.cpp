// SPDX-License-Identifier: AGPL-3.0-or-later
#include "net/url.hpp"

#include <cctype>

namespace mortar::net {

namespace {

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view TrimSpaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string UrlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3 / 2);
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

std::string UrlDecode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%' && i + 2 < s.size()) {
            const int hi = HexValue(s[i + 1]);
            const int lo = HexValue(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(plus_is_space && c == '+' ? ' ' : c);
    }
    return out;
}

Pairs DecodeForm(std::string_view text) {
    Pairs out;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos) amp = text.size();
        std::string_view part = text.substr(pos, amp - pos);
        if (!part.empty()) {
            const size_t eq = part.find('=');
            if (eq == std::string_view::npos) {
                out.emplace_back(UrlDecode(part), "");
            } else {
                out.emplace_back(UrlDecode(part.substr(0, eq)), UrlDecode(part.substr(eq + 1)));
            }
        }
        pos = amp + 1;
    }
    return out;
}

std::string EncodeForm(const Pairs& pairs) {
    std::string out;
    for (const auto& [k, v] : pairs) {
        if (!out.empty()) out.push_back('&');
        out += UrlEncode(k);
        out.push_back('=');
        out += UrlEncode(v);
    }
    return out;
}

std::optional<std::string> FormValue(const Pairs& pairs, std::string_view name) {
    for (const auto& [k, v] : pairs) {
        if (k == name) return v;
    }
    return std::nullopt;
}

std::string AppendQuery(std::string url, std::string_view name, std::string_view value) {
    url.push_back(url.find('?') == std::string::npos ? '?' : '&');
    url += UrlEncode(name);
    url.push_back('=');
    url += UrlEncode(value);
    return url;
}

std::string_view QueryOf(std::string_view url) {
    const size_t q = url.find('?');
    if (q == std::string_view::npos) return {};
    std::string_view rest = url.substr(q + 1);
    const size_t hash = rest.find('#');
    return hash == std::string_view::npos ? rest : rest.substr(0, hash);
}

std::string_view OriginOf(std::string_view url) {
    const size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    const size_t slash = url.find('/', scheme + 3);
    return slash == std::string_view::npos ? url : url.substr(0, slash);
}

std::vector<Link> ParseLinkHeader(std::string_view value) {
    std::vector<Link> out;
    size_t pos = 0;
    while (pos < value.size()) {
        const size_t open = value.find('<', pos);
        if (open == std::string_view::npos) break;
        const size_t close = value.find('>', open);
        if (close == std::string_view::npos) break;
        Link link;
        link.url = std::string(value.substr(open + 1, close - open - 1));
        // Parameters run to the next ',' that is followed by '<' (URLs may hold commas).
        size_t end = close + 1;
        size_t next = value.find('<', end);
        std::string_view params = value.substr(end, next == std::string_view::npos ? value.size() - end : next - end);
        size_t p = 0;
        while (p < params.size()) {
            size_t semi = params.find(';', p);
            if (semi == std::string_view::npos) semi = params.size();
            std::string_view param = TrimSpaces(params.substr(p, semi - p));
            while (!param.empty() && param.back() == ',') param = TrimSpaces(param.substr(0, param.size() - 1));
            const size_t eq = param.find('=');
            if (eq != std::string_view::npos && TrimSpaces(param.substr(0, eq)) == "rel") {
                std::string_view rel = TrimSpaces(param.substr(eq + 1));
                if (rel.size() >= 2 && rel.front() == '"' && rel.back() == '"') rel = rel.substr(1, rel.size() - 2);
                link.rel = std::string(rel);
            }
            p = semi + 1;
        }
        if (!link.rel.empty()) out.push_back(std::move(link));
        pos = next == std::string_view::npos ? value.size() : next;
    }
    return out;
}

std::optional<std::string> FindLink(std::string_view header_value, std::string_view rel) {
    for (auto& link : ParseLinkHeader(header_value)) {
        // rel may hold several space-separated relation types.
        size_t p = 0;
        std::string_view rels = link.rel;
        while (p <= rels.size()) {
            size_t sp = rels.find(' ', p);
            if (sp == std::string_view::npos) sp = rels.size();
            if (rels.substr(p, sp - p) == rel) return std::move(link.url);
            p = sp + 1;
        }
    }
    return std::nullopt;
}

}  // namespace mortar::net

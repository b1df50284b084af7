// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/static_files.hpp"

#include <array>
#include <cctype>
#include <fstream>
#include <optional>
#include <utility>
#include <vector>

namespace mortar::http {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 64 * 1024 * 1024;

void AddSecurityHeaders(Response& r) {
    r.SetHeader("Content-Security-Policy", std::string(kWebContentSecurityPolicy));
    r.SetHeader("X-Content-Type-Options", "nosniff");
    r.SetHeader("X-Frame-Options", "DENY");
    r.SetHeader("Referrer-Policy", "same-origin");
    r.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
}

Response Plain(int status, std::string body) {
    Response r = Response::Text(status, std::move(body));
    r.SetHeader("Cache-Control", "no-cache");
    AddSecurityHeaders(r);
    return r;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decodes one path segment ('+' stays '+': it is a space only in queries).
std::optional<std::string> DecodeSegment(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
            out += raw[i];
            continue;
        }
        if (i + 2 >= raw.size()) return std::nullopt;
        const int hi = HexValue(raw[i + 1]);
        const int lo = HexValue(raw[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// The decoded segments of a request path, or nullopt when one is unsafe to join to a
// directory: ".", "..", or holding '/', '\\' or NUL after decoding.
std::optional<std::vector<std::string>> SafeSegments(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view raw = path.substr(start, end - start);
        start = end + 1;
        if (raw.empty()) continue;
        auto segment = DecodeSegment(raw);
        if (!segment || *segment == "." || *segment == "..") return std::nullopt;
        if (segment->find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) return std::nullopt;
        segments.push_back(std::move(*segment));
    }
    return segments;
}

bool IsInside(const std::filesystem::path& file, const std::filesystem::path& root) {
    std::error_code ec;
    const auto real_file = std::filesystem::canonical(file, ec);
    if (ec) return false;
    const auto real_root = std::filesystem::canonical(root, ec);
    if (ec) return false;
    auto f = real_file.begin();
    for (auto r = real_root.begin(); r != real_root.end(); ++r, ++f) {
        if (f == real_file.end() || *f != *r) return false;
    }
    return true;
}

bool IsRegularFile(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec);
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

bool StaticFiles::Available() const {
    return IsRegularFile(root_ / "index.html");
}

std::string_view StaticFiles::ContentType(std::string_view file_name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
    }};
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    std::string ext(file_name.substr(dot));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [suffix, type] : kTypes) {
        if (ext == suffix) return type;
    }
    return "application/octet-stream";
}

Response StaticFiles::Serve(const Request& req) const {
    if (req.method != Method::kGet && req.method != Method::kHead) {
        Response r = Plain(405, "Method Not Allowed\n");
        r.SetHeader("Allow", "GET, HEAD");
        return r;
    }
    if (!Available()) return NotBuilt();
    auto segments = SafeSegments(req.path);
    if (!segments) return Plain(404, "Not Found\n");
    if (!segments->empty()) {
        std::filesystem::path file = root_;
        for (const std::string& s : *segments) file /= s;
        if (IsRegularFile(file)) {
            if (!IsInside(file, root_)) return Plain(404, "Not Found\n");
            return File(file, segments->size() > 1 && segments->front() == "assets");
        }
        if (segments->front() == "assets") return Plain(404, "Not Found\n");
    }
    return File(root_ / "index.html", false);
}

Response StaticFiles::File(const std::filesystem::path& file, bool immutable) const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec || size > kMaxFileBytes) return Plain(404, "Not Found\n");
    std::ifstream in(file, std::ios::binary);
    if (!in) return Plain(404, "Not Found\n");
    std::string body(static_cast<std::size_t>(size), '\0');
    in.read(body.data(), static_cast<std::streamsize>(size));
    body.resize(static_cast<std::size_t>(in.gcount()));
    Response r = Response::Text(200, std::move(body), std::string(ContentType(file.filename().string())));
    r.SetHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    AddSecurityHeaders(r);
    return r;
}

Response StaticFiles::NotBuilt() const {
    std::string page =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mortar: web UI not built</title>"
        "</head><body><h1>Mortar's web UI has not been built</h1>"
        "<p>The API is running under <code>/api</code>, but no built UI was found in <code>";
    for (char c : root_.string()) {
        switch (c) {
            case '<':
                page += "&lt;";
                break;
            case '>':
                page += "&gt;";
                break;
            case '&':
                page += "&amp;";
                break;
            case '"':
                page += "&quot;";
                break;
            default:
                page += c;
        }
    }
    page +=
        "</code>.</p><p>Build it with <code>scripts/build.sh</code> (or <code>npm ci &amp;&amp; npm run build</code> "
        "in <code>web/</code>), or point <code>mortar serve --web-dir</code> (<code>MORTAR_WEB_DIR</code>) at a "
        "directory holding the built files.</p></body></html>\n";
    Response r = Response::Text(503, std::move(page), "text/html; charset=utf-8");
    r.SetHeader("Cache-Control", "no-cache");
    AddSecurityHeaders(r);
    return r;
}

}  // namespace mortar::http

// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"

namespace mortar::http {

// The security headers of every web UI response: a Content-Security-Policy that allows
// scripts, styles and requests only from the serving origin (no inline scripts, no
// framing), nosniff, and no Referer to other sites.
inline constexpr std::string_view kWebContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Serves a built single-page app (the web UI) from a directory, read from disk on each
// request so a rebuild needs no restart.
//
// - A path naming a regular file below the root answers that file with a Content-Type
//   from its extension. Files under /assets/ are content-hashed by the build and get a
//   year-long immutable cache; everything else (index.html) is `no-cache`.
// - Any other path answers index.html (the app routes on the client), except a missing
//   file under /assets/, which is a plain 404 so a stale script tag fails visibly.
// - Paths are percent-decoded; a decoded path with a "." or ".." segment, a backslash,
//   a NUL or a file reached through a symlink leading outside the root answers 404.
// - Only GET and HEAD: other methods get 405.
// - Without an index.html in the root, every path answers 503 with a page saying that
//   the UI was not built and how to build it.
// Callers route /api paths elsewhere first: this class never answers them specially.
// Thread safety: Serve() is const and thread-safe.
class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root);

    // True when the root holds an index.html (checked on each call).
    bool Available() const;
    const std::filesystem::path& root() const { return root_; }

    Response Serve(const Request& req) const;

    // The Content-Type for a file name, by extension ("application/octet-stream" if unknown).
    static std::string_view ContentType(std::string_view file_name);

private:
    Response File(const std::filesystem::path& file, bool immutable) const;
    Response NotBuilt() const;

    std::filesystem::path root_;
};

}  // namespace mortar::http

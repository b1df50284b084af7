// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/static_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace mortar::http {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

Request Get(std::string path, Method method = Method::kGet) {
    Request req;
    req.method = method;
    req.target = path;
    req.path = std::move(path);
    return req;
}

// A built app in a fresh temporary directory: dist/index.html, dist/assets/app-1a2b.js,
// dist/favicon.svg, and a secret file beside dist/ that must never be served.
class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "mortar-static-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        base_ = tmpl;
        dist_ = base_ / "dist";
        WriteFile(dist_ / "index.html", "<!doctype html><title>Mortar</title>");
        WriteFile(dist_ / "assets" / "app-1a2b.js", "console.log(1)");
        WriteFile(dist_ / "assets" / "app-1a2b.css", "body{}");
        WriteFile(dist_ / "favicon.svg", "<svg/>");
        WriteFile(base_ / "secret.txt", "top secret");
    }
    void TearDown() override { fs::remove_all(base_); }

    fs::path base_;
    fs::path dist_;
};

TEST_F(StaticFilesTest, ServesIndexAtRootWithNoCacheAndSecurityHeaders) {
    StaticFiles files(dist_);
    Response r = files.Serve(Get("/"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<!doctype html><title>Mortar</title>");
    EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Referrer-Policy"), "same-origin");
    const std::string csp(r.Header("Content-Security-Policy"));
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
}

TEST_F(StaticFilesTest, ServesHashedAssetsWithLongCacheAndTheirType) {
    StaticFiles files(dist_);
    Response js = files.Serve(Get("/assets/app-1a2b.js"));
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.body, "console.log(1)");
    EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
    Response css = files.Serve(Get("/assets/app-1a2b.css"));
    EXPECT_EQ(css.Header("Content-Type"), "text/css; charset=utf-8");
    Response svg = files.Serve(Get("/favicon.svg"));
    EXPECT_EQ(svg.status, 200);
    EXPECT_EQ(svg.Header("Content-Type"), "image/svg+xml");
    EXPECT_EQ(svg.Header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, FallsBackToIndexForAppRoutes) {
    StaticFiles files(dist_);
    for (const char* path : {"/organizations", "/organizations/42/passwords", "/login", "/a//b/"}) {
        Response r = files.Serve(Get(path));
        EXPECT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.body, "<!doctype html><title>Mortar</title>") << path;
        EXPECT_EQ(r.Header("Cache-Control"), "no-cache") << path;
    }
}

TEST_F(StaticFilesTest, MissingAssetIsA404NotTheApp) {
    StaticFiles files(dist_);
    Response r = files.Serve(Get("/assets/gone-0000.js"));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("<!doctype"), std::string::npos);
}

TEST_F(StaticFilesTest, RefusesTraversalInEverySpelling) {
    StaticFiles files(dist_);
    for (const char* path :
         {"/../secret.txt",
          "/assets/../../secret.txt",
          "/%2e%2e/secret.txt",
          "/%2E%2E%2Fsecret.txt",
          "/assets/%2e%2e/%2e%2e/secret.txt",
          "/..%5csecret.txt",
          "/./index.html",
          "/index.html%00.js",
          "/%zz"}) {
        Response r = files.Serve(Get(path));
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.body.find("top secret"), std::string::npos) << path;
    }
}

TEST_F(StaticFilesTest, RefusesASymlinkLeadingOutOfTheRoot) {
    fs::create_symlink(base_ / "secret.txt", dist_ / "leak.txt");
    StaticFiles files(dist_);
    Response r = files.Serve(Get("/leak.txt"));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("top secret"), std::string::npos);
}

TEST_F(StaticFilesTest, DecodesPercentEscapesInFileNames) {
    WriteFile(dist_ / "a b.txt", "spaced");
    StaticFiles files(dist_);
    Response r = files.Serve(Get("/a%20b.txt"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "spaced");
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
    StaticFiles files(dist_);
    EXPECT_EQ(files.Serve(Get("/", Method::kHead)).status, 200);
    Response r = files.Serve(Get("/", Method::kPost));
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, SaysTheUiWasNotBuiltWhenTheDirectoryIsMissing) {
    StaticFiles files(base_ / "no-such-dist");
    EXPECT_FALSE(files.Available());
    Response r = files.Serve(Get("/organizations"));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("has not been built"), std::string::npos);
    EXPECT_NE(r.body.find("--web-dir"), std::string::npos);
}

TEST(StaticFilesContentType, ByExtensionCaseInsensitively) {
    EXPECT_EQ(StaticFiles::ContentType("x.HTML"), "text/html; charset=utf-8");
    EXPECT_EQ(StaticFiles::ContentType("font.woff2"), "font/woff2");
    EXPECT_EQ(StaticFiles::ContentType("logo.png"), "image/png");
    EXPECT_EQ(StaticFiles::ContentType("README"), "application/octet-stream");
    EXPECT_EQ(StaticFiles::ContentType("x.exe"), "application/octet-stream");
}

}  // namespace
}  // namespace mortar::http

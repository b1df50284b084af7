// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The vault's life on a real server (SPEC ACL-5): `mortar serve` creates the master key
// file on first start (mode 0600) and says so; `mortar admin rotate-key` re-wraps the
// data keys while the server keeps serving secrets; a server started with a key that
// does not match the store refuses to start with a clear message.

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "resource_test_base.hpp"

namespace mortar::ftest {
namespace {

std::string S(int64_t v) {
    return std::to_string(v);
}

std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

TEST(VaultLifecycle, CreateRotateAndRefuseAWrongKey) {
    const char* bin = std::getenv("MORTAR_BIN");
    ASSERT_NE(bin, nullptr) << "run through ctest";
    char tmpl[] = "/tmp/mortar-vault-ftest-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    const std::string dir = tmpl;
    const std::string key_file = dir + "/keys/master.key";
    std::filesystem::create_directories(dir + "/keys");

    ServerOptions options;
    options.extra_args = {"--master-key-file", key_file};
    std::string error;
    std::unique_ptr<MortarServer> server = MortarServer::Start(options, &error);
    ASSERT_NE(server, nullptr) << error;
    struct stat st {};
    ASSERT_EQ(stat(key_file.c_str(), &st), 0) << "serve created the key file";
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_NE(server->LogTail(1 << 20).find("created a new vault master key at " + key_file), std::string::npos);

    auto key = server->CreateApiKey("", true, &error);
    ASSERT_TRUE(key.has_value()) << error;
    HttpClient client(server->base_url(), *key);
    HttpResponse org = client.Post("/api/organizations", Doc("organizations", {{"name", "Vault Dental"}}));
    ASSERT_TRUE(HasStatus(org, 201));
    HttpResponse pw = client.Post(
        "/api/passwords",
        Doc("passwords",
            {{"organization-id", IdOf(ValueAt(org.Json(), "data"))},
             {"name", "Domain admin"},
             {"password", "before-rotation"}})
    );
    ASSERT_TRUE(HasStatus(pw, 201)) << pw.Describe();
    const std::string one = "/api/passwords/" + S(IdOf(ValueAt(pw.Json(), "data")));

    // Rotate while the server runs: the key file changes, the secret stays readable.
    std::vector<std::string> store = server->StoreArgs();
    const std::string before = ReadFile(key_file);
    std::vector<std::string> rotate = {bin, "admin", "rotate-key", "--master-key-file", key_file};
    rotate.insert(rotate.end(), store.begin(), store.end());
    std::string out;
    ASSERT_EQ(RunCommand(rotate, dir + "/admin.log", &out, std::chrono::seconds(60)), 0)
        << ReadFile(dir + "/admin.log");
    EXPECT_NE(ReadFile(key_file), before);
    EXPECT_NE(ReadFile(dir + "/admin.log").find("re-wrapped"), std::string::npos);
    EXPECT_EQ(StringAt(client.Get(one).Json(), "data.attributes.password"), "before-rotation");
    // The rotated file is the store's key now: rotating again from it succeeds.
    ASSERT_EQ(RunCommand(rotate, dir + "/admin.log", &out, std::chrono::seconds(60)), 0)
        << ReadFile(dir + "/admin.log");
    EXPECT_EQ(StringAt(client.Get(one).Json(), "data.attributes.password"), "before-rotation");

    // A different key: refused at start-up, clearly.
    std::vector<std::string> wrong = {bin, "serve", "--listen", "127.0.0.1:0", "--master-key-file", dir + "/other.key"};
    wrong.insert(wrong.end(), store.begin(), store.end());
    EXPECT_NE(RunCommand(wrong, dir + "/wrong.log", &out, std::chrono::seconds(60)), 0);
    EXPECT_NE(ReadFile(dir + "/wrong.log").find("master key does not match"), std::string::npos)
        << ReadFile(dir + "/wrong.log");
    EXPECT_EQ(out.find("listening"), std::string::npos) << "it never served";
    EXPECT_EQ(StringAt(client.Get(one).Json(), "data.attributes.password"), "before-rotation") << "nothing touched";

    EXPECT_EQ(server->Stop(), "");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mortar::ftest

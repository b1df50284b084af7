// SPDX-License-Identifier: AGPL-3.0-or-later
#include "harness.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mortar::ftest {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartDeadline{60};
constexpr std::chrono::seconds kStopDeadline{30};
constexpr std::chrono::seconds kCommandDeadline{60};
constexpr std::string_view kListeningPrefix = "mortar: listening on http://127.0.0.1:";

std::string Lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string TrimLine(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string MortarBin() {
    const char* bin = std::getenv("MORTAR_BIN");
    return bin != nullptr ? bin : "";
}

int RemainingMs(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

// Forks and execs argv with stdout on a pipe (returned in *stdout_fd), stderr appended
// to log_path and stdin on /dev/null, or reading `input` when given (it must fit in a
// pipe's buffer). The child gets SIGTERM if this process dies.
pid_t Spawn(
    const std::vector<std::string>& argv,
    const std::string& log_path,
    int* stdout_fd,
    std::string* error,
    const std::string* input = nullptr
) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        *error = std::string("pipe2: ") + std::strerror(errno);
        return -1;
    }
    int in_fds[2] = {-1, -1};
    if (input != nullptr) {
        if (pipe2(in_fds, O_CLOEXEC) != 0) {
            *error = std::string("pipe2: ") + std::strerror(errno);
            close(fds[0]);
            close(fds[1]);
            return -1;
        }
        const ssize_t written = write(in_fds[1], input->data(), input->size());
        close(in_fds[1]);
        if (written != static_cast<ssize_t>(input->size())) {
            *error = "could not write the command's stdin";
            close(in_fds[0]);
            close(fds[0]);
            close(fds[1]);
            return -1;
        }
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        *error = std::string("fork: ") + std::strerror(errno);
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(126);
        int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        int null_fd = input != nullptr ? in_fds[0] : open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (log_fd < 0 || null_fd < 0) _exit(125);
        dup2(null_fd, 0);
        dup2(fds[1], 1);
        dup2(log_fd, 2);
        execv(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    if (in_fds[0] >= 0) close(in_fds[0]);
    *stdout_fd = fds[0];
    return pid;
}

// Waits for `pid` to exit until `deadline`; returns its wait status, or nullopt on timeout.
std::optional<int> WaitForExit(pid_t pid, Clock::time_point deadline) {
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        int ready = 0;
        do {
            ready = poll(&p, 1, RemainingMs(deadline));
        } while (ready < 0 && errno == EINTR);
        close(pidfd);
        if (ready == 0) return std::nullopt;
    }
    // Either the process has exited, or pidfd_open is unavailable: poll waitpid.
    while (true) {
        int status = 0;
        pid_t r = waitpid(pid, &status, pidfd >= 0 ? 0 : WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return std::nullopt;
        if (Clock::now() >= deadline) return std::nullopt;
        if (r == 0) poll(nullptr, 0, 10);  // fallback only: no pidfd on this kernel
    }
}

// Reads from fd until EOF or deadline, appending to *out. Returns false on timeout.
bool ReadToEof(int fd, std::string* out, Clock::time_point deadline) {
    char buf[4096];
    while (true) {
        pollfd p{fd, POLLIN, 0};
        int ready = poll(&p, 1, RemainingMs(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return false;
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return true;
        out->append(buf, static_cast<size_t>(n));
    }
}

std::string DescribeWaitStatus(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
    return "wait status " + std::to_string(status);
}

std::string ReadFileTail(const std::string& path, size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string all = ss.str();
    if (all.size() > max_bytes) all = "..." + all.substr(all.size() - max_bytes);
    return all;
}

// ---- PostgreSQL: one fresh database per server ----

std::string QuoteConninfoValue(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

// The DSN with its dbname replaced; accepts keyword=value strings and URIs.
std::optional<std::string> WithDbname(const std::string& dsn, const std::string& dbname, std::string* error) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(dsn.c_str(), &err);
    if (opts == nullptr) {
        *error = "cannot parse MORTAR_TEST_PG_DSN: " + std::string(err != nullptr ? err : "?");
        PQfreemem(err);
        return std::nullopt;
    }
    std::string out;
    for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
        if (o->val == nullptr || std::string_view(o->keyword) == "dbname") continue;
        out += std::string(o->keyword) + "=" + QuoteConninfoValue(o->val) + " ";
    }
    PQconninfoFree(opts);
    return out + "dbname=" + QuoteConninfoValue(dbname);
}

bool ExecAdmin(const std::string& dsn, const std::string& sql, std::string* error) {
    PGconn* conn = PQconnectdb(dsn.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        *error = "cannot connect to MORTAR_TEST_PG_DSN: " + std::string(PQerrorMessage(conn));
        PQfinish(conn);
        return false;
    }
    PGresult* res = PQexec(conn, sql.c_str());
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) *error = sql + ": " + PQresultErrorMessage(res);
    PQclear(res);
    PQfinish(conn);
    return ok;
}

// ---- libcurl callbacks ----

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
    static_cast<std::string*>(user)->append(data, size * nmemb);
    return size * nmemb;
}

size_t OnHeader(char* data, size_t size, size_t nmemb, void* user) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
    std::string_view line(data, size * nmemb);
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new status line (after 100 Continue or a redirect)
        return size * nmemb;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return size * nmemb;
    std::string value = TrimLine(std::string(line.substr(colon + 1)));
    size_t start = value.find_first_not_of(' ');
    value = start == std::string::npos ? "" : value.substr(start);
    headers->emplace_back(Lower(line.substr(0, colon)), value);
    return size * nmemb;
}

void CurlGlobalInit() {
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}

}  // namespace

std::string BackendName(Backend backend) {
    return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

bool PostgresAvailable() {
    const char* dsn = std::getenv("MORTAR_TEST_PG_DSN");
    return dsn != nullptr && *dsn != '\0';
}

// ---- HttpResponse ----

const std::string* HttpResponse::Header(std::string_view name) const {
    std::string want = Lower(name);
    for (const auto& [k, v] : headers) {
        if (k == want) return &v;
    }
    return nullptr;
}

const json::Value& HttpResponse::Json() const {
    if (!parsed_) {
        Result<json::Value> parsed = json::Parse(body);
        if (!parsed.ok()) {
            ADD_FAILURE() << "response body is not JSON (" << parsed.status().message() << "): " << Describe();
            parsed_ = json::Value();
        } else {
            parsed_ = *std::move(parsed);
        }
    }
    return *parsed_;
}

std::string HttpResponse::Describe() const {
    std::string shown = body.size() > 2000 ? body.substr(0, 2000) + "..." : body;
    std::string out = request_line + " -> " + std::to_string(status);
    if (!transport_error.empty()) out += " [" + transport_error + "]";
    return out + " " + shown;
}

// ---- HttpClient ----

HttpClient::HttpClient(std::string base_url, std::string api_key)
    : base_url_(std::move(base_url)), api_key_(std::move(api_key)) {
    CurlGlobalInit();
    curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpClient::Send(
    std::string_view method, std::string_view target, std::string_view body, const Headers& headers, bool no_api_key
) {
    HttpResponse resp;
    resp.request_line = std::string(method) + " " + std::string(target);
    CURL* h = static_cast<CURL*>(curl_);
    if (h == nullptr) {
        resp.transport_error = "curl_easy_init failed";
        return resp;
    }
    curl_easy_reset(h);  // keeps the connection cache: requests stay on one keep-alive connection
    std::string url = base_url_ + std::string(target);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &resp.headers);
    std::string method_str(method);
    if (method_str == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (method_str == "GET" && body.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method_str.c_str());
    }
    if (!body.empty() || method_str == "POST" || method_str == "PATCH") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }

    curl_slist* list = nullptr;
    bool has_content_type = false;
    for (const auto& [k, v] : headers) {
        if (Lower(k) == "content-type") has_content_type = true;
        // "Name:" removes a header libcurl would add; "Name;" sends it empty.
        std::string line = !v.empty() ? k + ": " + v : (!k.empty() && k.back() == ';') ? k : k + ":";
        list = curl_slist_append(list, line.c_str());
    }
    if (!has_content_type && !body.empty()) {
        list = curl_slist_append(list, "Content-Type: application/vnd.api+json");
    }
    if (!has_content_type && body.empty() && (method_str == "POST" || method_str == "PATCH")) {
        list = curl_slist_append(list, "Content-Type:");  // no form-urlencoded default
    }
    std::string key_line = "x-api-key: " + api_key_;
    if (!no_api_key && !api_key_.empty()) list = curl_slist_append(list, key_line.c_str());
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);

    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    resp.status = code;
    if (rc != CURLE_OK) resp.transport_error = curl_easy_strerror(rc);
    curl_slist_free_all(list);
    return resp;
}

HttpResponse HttpClient::GetAbsolute(const std::string& url) {
    if (url.rfind(base_url_, 0) != 0) {
        HttpResponse resp;
        resp.request_line = "GET " + url;
        resp.transport_error = "URL does not start with the server's base URL " + base_url_;
        return resp;
    }
    return Get(url.substr(base_url_.size()));
}

// ---- processes ----

int RunCommand(
    const std::vector<std::string>& argv,
    const std::string& log_path,
    std::string* out,
    std::chrono::milliseconds timeout,
    const std::string* input
) {
    std::string error;
    int fd = -1;
    pid_t pid = Spawn(argv, log_path, &fd, &error, input);
    if (pid < 0) {
        *out = error;
        return -1;
    }
    auto deadline = Clock::now() + timeout;
    bool eof = ReadToEof(fd, out, deadline);
    close(fd);
    if (!eof) kill(pid, SIGKILL);
    std::optional<int> status = WaitForExit(pid, eof ? deadline : Clock::now() + kStopDeadline);
    if (!status || !eof) return -1;
    return WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

std::vector<std::string> MortarServer::StoreArgs() const {
    if (backend_ == Backend::kPostgres) return {"--db", pg_conninfo_};
    return {"--data-dir", data_dir_};
}

std::optional<std::string> MortarServer::CreateApiKey(
    const std::string& account, bool password_access, std::string* error
) {
    std::vector<std::string> argv = {MortarBin(), "admin", "create-api-key"};
    for (std::string& a : StoreArgs()) argv.push_back(std::move(a));
    if (!account.empty()) {
        argv.push_back("--account");
        argv.push_back(account);
    }
    if (password_access) argv.push_back("--password-access");
    std::string out;
    int rc = RunCommand(argv, dir_ + "/admin.log", &out, kCommandDeadline);
    std::string key = TrimLine(out);
    if (rc != 0 || key.rfind("ITG.", 0) != 0 || key.find('\n') != std::string::npos) {
        *error = "mortar admin create-api-key" + (account.empty() ? "" : " --account " + account) + " returned " +
                 std::to_string(rc) + " and printed '" + out +
                 "' (expected one line ITG.<hex>.<secret>); log: " + ReadFileTail(dir_ + "/admin.log", 2000);
        return std::nullopt;
    }
    return key;
}

std::optional<int64_t> MortarServer::CreateUser(
    const std::string& email,
    const std::string& name,
    const std::string& role,
    const std::string& password,
    const std::string& account,
    std::string* error
) {
    std::vector<std::string> argv = {
        MortarBin(), "admin", "create-user", "--email", email, "--name", name, "--role", role};
    for (std::string& a : StoreArgs()) argv.push_back(std::move(a));
    if (!account.empty()) {
        argv.push_back("--account");
        argv.push_back(account);
    }
    const std::string input = password + "\n";
    std::string out;
    const int rc = RunCommand(argv, dir_ + "/admin.log", &out, kCommandDeadline, &input);
    const std::string id = TrimLine(out);
    if (rc != 0 || id.empty() || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        *error = "mortar admin create-user --email " + email + " returned " + std::to_string(rc) + " and printed '" +
                 out + "'; log: " + ReadFileTail(dir_ + "/admin.log", 2000);
        return std::nullopt;
    }
    return std::stoll(id);
}

std::unique_ptr<MortarServer> MortarServer::Start(const ServerOptions& options, std::string* error) {
    static std::atomic<int> counter{0};
    std::string bin = MortarBin();
    if (bin.empty() || access(bin.c_str(), X_OK) != 0) {
        *error = "MORTAR_BIN is not set or not executable ('" + bin + "'); run the tests through ctest";
        return nullptr;
    }
    std::unique_ptr<MortarServer> server(new MortarServer());
    server->backend_ = options.backend;
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/mortar-ft-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) {
        *error = std::string("mkdtemp: ") + std::strerror(errno);
        return nullptr;
    }
    server->dir_ = templ;
    std::filesystem::create_directories(server->dir_ + "/data");
    server->data_dir_ = server->dir_ + "/data";
    int n = counter.fetch_add(1);

    if (options.store_of != nullptr) {
        server->backend_ = options.store_of->backend_;
        server->pg_conninfo_ = options.store_of->pg_conninfo_;
        server->data_dir_ = options.store_of->data_dir_;
    } else if (options.backend == Backend::kPostgres) {
        if (!PostgresAvailable()) {
            *error = "MORTAR_TEST_PG_DSN is not set";
            return nullptr;
        }
        std::string dsn = std::getenv("MORTAR_TEST_PG_DSN");
        std::string db = "mortar_ft_" + std::to_string(getpid()) + "_" + std::to_string(n);
        std::optional<std::string> conninfo = WithDbname(dsn, db, error);
        if (!conninfo) return nullptr;
        if (!ExecAdmin(dsn, "DROP DATABASE IF EXISTS " + db, error)) return nullptr;
        if (!ExecAdmin(dsn, "CREATE DATABASE " + db, error)) return nullptr;
        server->pg_db_ = db;
        server->pg_conninfo_ = *conninfo;
    }

    if (options.migrate_first) {
        std::vector<std::string> argv = {bin, "migrate"};
        for (std::string& a : server->StoreArgs()) argv.push_back(std::move(a));
        std::string out;
        int rc = RunCommand(argv, server->dir_ + "/admin.log", &out, kCommandDeadline);
        if (rc != 0) {
            *error = "mortar migrate returned " + std::to_string(rc) + ": " + server->LogTail();
            return nullptr;
        }
        std::optional<std::string> key = server->CreateApiKey("", false, error);
        if (!key) return nullptr;
        server->key_a_ = *key;
    }

    std::vector<std::string> argv = {bin, "serve", "--listen", "127.0.0.1:0"};
    for (std::string& a : server->StoreArgs()) argv.push_back(std::move(a));
    if (server->backend_ == Backend::kPostgres) {
        argv.push_back("--data-dir");
        argv.push_back(server->data_dir_);
    }
    for (const std::string& a : options.extra_args) argv.push_back(a);
    server->pid_ = Spawn(argv, server->dir_ + "/server.log", &server->stdout_fd_, error);
    if (server->pid_ < 0) return nullptr;

    // Read stdout until the listening line, with a deadline.
    auto deadline = Clock::now() + kStartDeadline;
    std::string buffered;
    std::string listening;
    while (listening.empty()) {
        size_t nl = buffered.find('\n');
        if (nl != std::string::npos) {
            std::string line = TrimLine(buffered.substr(0, nl));
            buffered.erase(0, nl + 1);
            if (line.rfind(kListeningPrefix, 0) == 0) {
                listening = line;
            } else {
                *error = "mortar serve printed '" + line + "' on stdout before its listening line";
                server->Stop();
                return nullptr;
            }
            continue;
        }
        pollfd p{server->stdout_fd_, POLLIN, 0};
        int ready = poll(&p, 1, RemainingMs(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            *error = "mortar serve did not print its listening line within " + std::to_string(kStartDeadline.count()) +
                     " s; log: " + server->LogTail();
            server->Stop();
            return nullptr;
        }
        char buf[1024];
        ssize_t got = read(server->stdout_fd_, buf, sizeof buf);
        if (got <= 0) {
            std::optional<int> status = WaitForExit(server->pid_, Clock::now() + kStopDeadline);
            server->stopped_ = true;
            *error = "mortar serve exited before listening (" +
                     (status ? DescribeWaitStatus(*status) : std::string("still running")) +
                     "); log: " + server->LogTail();
            server->Stop();
            return nullptr;
        }
        buffered.append(buf, static_cast<size_t>(got));
    }
    std::string port = listening.substr(kListeningPrefix.size());
    if (port.empty() || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        port == "0") {
        *error = "mortar serve printed a listening line without a port: '" + listening + "'";
        server->Stop();
        return nullptr;
    }
    server->base_url_ = "http://127.0.0.1:" + port;
    if (!buffered.empty()) {
        *error = "mortar serve printed more than its listening line on stdout: '" + buffered + "'";
        server->Stop();
        return nullptr;
    }

    if (server->key_a_.empty()) {
        std::optional<std::string> key = server->CreateApiKey("", false, error);
        if (!key) {
            server->Stop();
            return nullptr;
        }
        server->key_a_ = *key;
    }
    std::optional<std::string> key_b = server->CreateApiKey("other", false, error);
    if (!key_b) {
        server->Stop();
        return nullptr;
    }
    server->key_b_ = *key_b;
    if (server->key_a_ == server->key_b_) {
        *error = "two create-api-key calls printed the same key";
        server->Stop();
        return nullptr;
    }
    return server;
}

std::string MortarServer::Stop() {
    std::string problem;
    if (pid_ > 0 && !stopped_) {
        stopped_ = true;
        if (kill(pid_, SIGTERM) != 0) problem = std::string("kill(SIGTERM): ") + std::strerror(errno);
        auto deadline = Clock::now() + kStopDeadline;
        std::string extra;
        if (stdout_fd_ >= 0) ReadToEof(stdout_fd_, &extra, deadline);
        std::optional<int> status = WaitForExit(pid_, deadline);
        if (!status) {
            kill(pid_, SIGKILL);
            WaitForExit(pid_, Clock::now() + kStopDeadline);
            problem = "mortar serve did not exit within " + std::to_string(kStopDeadline.count()) +
                      " s of SIGTERM; log: " + LogTail();
        } else if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
            problem = "mortar serve ended with " + DescribeWaitStatus(*status) +
                      " after SIGTERM (want exit 0); log: " + LogTail();
        } else if (!extra.empty()) {
            problem = "mortar serve printed more than its listening line on stdout: '" + extra + "'";
        }
    }
    if (stdout_fd_ >= 0) {
        close(stdout_fd_);
        stdout_fd_ = -1;
    }
    if (!pg_db_.empty()) {
        std::string error;
        if (!ExecAdmin(
                std::getenv("MORTAR_TEST_PG_DSN"), "DROP DATABASE IF EXISTS " + pg_db_ + " WITH (FORCE)", &error
            ) &&
            problem.empty()) {
            problem = error;
        }
        pg_db_.clear();
    }
    if (!dir_.empty() && problem.empty() && std::getenv("MORTAR_FTEST_KEEP") == nullptr) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        dir_.clear();
    }
    return problem;
}

void MortarServer::Kill() {
    if (pid_ > 0 && !stopped_) {
        stopped_ = true;
        kill(pid_, SIGKILL);
        WaitForExit(pid_, Clock::now() + kStopDeadline);
    }
    if (stdout_fd_ >= 0) {
        close(stdout_fd_);
        stdout_fd_ = -1;
    }
}

MortarServer::~MortarServer() {
    Stop();
}

std::string MortarServer::LogTail(size_t max_bytes) const {
    return ReadFileTail(dir_ + "/server.log", max_bytes) + ReadFileTail(dir_ + "/admin.log", max_bytes / 4);
}

// ---- shared servers ----

namespace {

struct SharedSlot {
    std::unique_ptr<MortarServer> server;
    std::string error;
    bool tried = false;
};

std::map<Backend, SharedSlot>& Slots() {
    static std::map<Backend, SharedSlot> slots;
    return slots;
}

// Stops the shared servers after the last test and fails the run if one of them did
// not stop cleanly (exit status 0 on SIGTERM is part of the contract).
class SharedServersEnvironment : public ::testing::Environment {
public:
    void TearDown() override {
        for (auto& [backend, slot] : Slots()) {
            if (slot.server == nullptr) continue;
            std::string problem = slot.server->Stop();
            EXPECT_EQ(problem, "") << "shared " << BackendName(backend) << " server";
            slot.server.reset();
        }
    }
};

[[maybe_unused]] ::testing::Environment* const kSharedServersEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedServersEnvironment);

}  // namespace

MortarServer* SharedServer(Backend backend, std::string* error) {
    SharedSlot& slot = Slots()[backend];
    if (!slot.tried) {
        slot.tried = true;
        ServerOptions options;
        options.backend = backend;
        options.migrate_first = true;
        // The whole suite runs as account A on this server, far more than IT Glue's 3000
        // requests per 5 minutes; the limiter has its own test on its own server.
        options.extra_args = {"--rate-limit", "100000000"};
        slot.server = MortarServer::Start(options, &slot.error);
    }
    if (slot.server == nullptr) *error = slot.error;
    return slot.server.get();
}

// ---- URL helpers ----

std::vector<std::pair<std::string, std::string>> DecodeForm(std::string_view query) {
    auto decode = [](std::string_view s) {
        std::string out;
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '+') {
                out += ' ';
            } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
                out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
                i += 2;
            } else {
                out += s[i];
            }
        }
        return out;
    };
    std::vector<std::pair<std::string, std::string>> out;
    size_t pos = 0;
    while (pos <= query.size()) {
        size_t amp = query.find('&', pos);
        if (amp == std::string_view::npos) amp = query.size();
        std::string_view piece = query.substr(pos, amp - pos);
        if (!piece.empty()) {
            size_t eq = piece.find('=');
            if (eq == std::string_view::npos) {
                out.emplace_back(decode(piece), "");
            } else {
                out.emplace_back(decode(piece.substr(0, eq)), decode(piece.substr(eq + 1)));
            }
        }
        pos = amp + 1;
    }
    return out;
}

std::string UrlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

pid_t SpawnProcess(
    const std::vector<std::string>& argv,
    const std::string& log_path,
    int* stdout_fd,
    std::string* error,
    const std::string* input
) {
    return Spawn(argv, log_path, stdout_fd, error, input);
}

std::optional<int> WaitForProcess(pid_t pid, std::chrono::milliseconds timeout) {
    return WaitForExit(pid, Clock::now() + timeout);
}

std::optional<std::string> CreateTestDatabase(const std::string& name, std::string* error) {
    if (!PostgresAvailable()) {
        *error = "MORTAR_TEST_PG_DSN is not set";
        return std::nullopt;
    }
    const std::string dsn = std::getenv("MORTAR_TEST_PG_DSN");
    std::optional<std::string> conninfo = WithDbname(dsn, name, error);
    if (!conninfo) return std::nullopt;
    if (!ExecAdmin(dsn, "DROP DATABASE IF EXISTS " + name, error)) return std::nullopt;
    if (!ExecAdmin(dsn, "CREATE DATABASE " + name, error)) return std::nullopt;
    return conninfo;
}

void DropTestDatabase(const std::string& name) {
    std::string error;
    if (PostgresAvailable()) ExecAdmin(std::getenv("MORTAR_TEST_PG_DSN"), "DROP DATABASE IF EXISTS " + name, &error);
}

}  // namespace mortar::ftest

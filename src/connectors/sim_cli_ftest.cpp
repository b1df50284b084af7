// SPDX-License-Identifier: AGPL-3.0-or-later
// `mortar sim` as a process (MORTAR_BIN): it prints its URL and credentials, serves a
// connector with the faults given on the command line, and stops cleanly on SIGTERM.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connectors/connector.hpp"

namespace mortar::connectors {
namespace {

class RecordingSleeper : public net::Sleeper {
public:
    void SleepMillis(int64_t ms) override { waits.push_back(ms); }
    std::vector<int64_t> waits;
};

class SimProcess {
public:
    ~SimProcess() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) close(fd_);
    }

    // Starts the binary and reads lines until `lines` "name: value" lines arrived or 10 s
    // passed.
    bool Start(std::vector<std::string> args, size_t lines, std::string* error) {
        const char* bin = std::getenv("MORTAR_BIN");
        if (bin == nullptr) {
            *error = "MORTAR_BIN is not set";
            return false;
        }
        int fds[2];
        if (pipe(fds) != 0) return false;
        pid_ = fork();
        if (pid_ == 0) {
            dup2(fds[1], 1);
            close(fds[0]);
            close(fds[1]);
            std::vector<char*> argv{const_cast<char*>(bin)};
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(bin, argv.data());
            _exit(127);
        }
        close(fds[1]);
        fd_ = fds[0];
        std::string buffer;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (settings.size() < lines) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd p{fd_, POLLIN, 0};
            if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                *error = "no credentials within 10 s; got: " + buffer;
                return false;
            }
            char chunk[512];
            const ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n <= 0) {
                *error = "the simulator exited; got: " + buffer;
                return false;
            }
            buffer.append(chunk, static_cast<size_t>(n));
            size_t nl;
            while ((nl = buffer.find('\n')) != std::string::npos) {
                std::string line = buffer.substr(0, nl);
                buffer.erase(0, nl + 1);
                if (line.rfind("mortar sim ", 0) == 0) {
                    first_line = line;
                    continue;
                }
                const size_t colon = line.find(": ");
                if (colon != std::string::npos) settings[line.substr(0, colon)] = line.substr(colon + 2);
            }
        }
        return true;
    }

    // SIGTERM, then the exit status (or -1 after 10 s).
    int Stop() {
        kill(pid_, SIGTERM);
        for (int i = 0; i < 1000; ++i) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            pollfd p{fd_, POLLIN, 0};
            poll(&p, 1, 10);  // bounded wait for the child's exit, not a sleep standing in for it
            char sink[256];
            if (p.revents & POLLIN) (void)read(fd_, sink, sizeof sink);
        }
        return -1;
    }

    std::string first_line;
    std::map<std::string, std::string> settings;

private:
    pid_t pid_ = -1;
    int fd_ = -1;
};

TEST(SimCliTest, ServesAConnectorWithCommandLineFaultsAndStopsOnSigterm) {
    SimProcess sim;
    std::string error;
    ASSERT_TRUE(sim.Start(
        {"sim",
         "connectwise",
         "--listen",
         "127.0.0.1:0",
         "--companies",
         "12",
         "--configurations",
         "2500",
         "--faults",
         "429=2:1,5xx=1"},
        5,
        &error
    )) << error;
    EXPECT_EQ(sim.first_line.rfind("mortar sim connectwise: listening on http://127.0.0.1:", 0), 0u) << sim.first_line;
    RecordingSleeper sleeper;
    ConnectorEnv env;
    env.sleeper = &sleeper;
    auto c = MakeConnector("connectwise", sim.settings, env);
    ASSERT_TRUE(c.ok()) << c.status().message();
    FetchOptions o;
    o.include_inactive = true;
    int64_t records = 0;
    Status s = (*c)->Fetch(EntityKind::kConfiguration, o, [&](std::span<const ExternalRecord> batch) {
        records += static_cast<int64_t>(batch.size());
        return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(records, 2500);
    EXPECT_EQ((*c)->stats().calls, 1 + 3 + 3);  // companyinfo, 3 pages, 3 injected faults
    ASSERT_EQ(sleeper.waits.size(), 3u);
    EXPECT_EQ(sleeper.waits[0], 1000);  // Retry-After: 1
    EXPECT_EQ(sleeper.waits[1], 1000);
    EXPECT_EQ(sim.Stop(), 0);
}

TEST(SimCliTest, RefusesUnknownVendorsAndNonLoopbackAddresses) {
    for (std::vector<std::string> args :
         {std::vector<std::string>{"sim", "quickbooks"},
          std::vector<std::string>{"sim", "halopsa", "--listen", "0.0.0.0:0"},
          std::vector<std::string>{"sim", "halopsa", "--faults", "teapot"}}) {
        SimProcess sim;
        std::string error;
        EXPECT_FALSE(sim.Start(args, 1, &error)) << args[1];
    }
}

}  // namespace
}  // namespace mortar::connectors

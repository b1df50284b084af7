// SPDX-License-Identifier: AGPL-3.0-or-later
#include "net/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <curl/curl.h>
#include <strings.h>

namespace mortar::net {

namespace {

constexpr size_t kBodyPadding = 64;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

void CurlGlobalInit() {
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
    auto* body = static_cast<std::string*>(user);
    const size_t n = size * nmemb;
    if (body->capacity() < body->size() + n + kBodyPadding) {
        body->reserve(std::max(body->capacity() * 2, body->size() + n + kBodyPadding));
    }
    body->append(data, n);
    return n;
}

size_t OnHeader(char* data, size_t size, size_t nmemb, void* user) {
    auto* resp = static_cast<HttpResponse*>(user);
    const size_t n = size * nmemb;
    std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        resp->headers.clear();  // a new status line (after 100 Continue)
        return n;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
    }
    resp->headers.emplace_back(std::move(name), std::string(value));
    return n;
}

std::string HostOf(const std::string& url) {
    const size_t scheme = url.find("://");
    const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    const size_t end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

class CurlClient final : public HttpClient {
public:
    explicit CurlClient(ClientOptions options) : options_(std::move(options)) { CurlGlobalInit(); }
    ~CurlClient() override {
        for (CURL* h : idle_) curl_easy_cleanup(h);
    }

    Result<HttpResponse> Send(const HttpRequest& request) override {
        CURL* h = Take();
        if (h == nullptr) return Status::Internal("cannot create an HTTP client handle");
        Result<HttpResponse> result = Perform(h, request);
        Give(h);
        return result;
    }

private:
    CURL* Take() {
        {
            std::lock_guard lock(mu_);
            if (!idle_.empty()) {
                CURL* h = idle_.back();
                idle_.pop_back();
                return h;
            }
        }
        return curl_easy_init();
    }

    void Give(CURL* h) {
        std::lock_guard lock(mu_);
        if (static_cast<int>(idle_.size()) < options_.max_idle_handles) {
            idle_.push_back(h);
        } else {
            curl_easy_cleanup(h);
        }
    }

    Result<HttpResponse> Perform(CURL* h, const HttpRequest& request) {
        HttpResponse resp;
        resp.body.reserve(16 * 1024);
        curl_easy_reset(h);  // keeps the handle's connection cache
        curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &resp);
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
        curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
        curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
        if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
        if (!options_.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());

        const std::string& method = request.method;
        if (method == "GET" && request.body.empty()) {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        } else if (method == "HEAD") {
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        } else {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        }
        curl_slist* list = nullptr;
        bool has_content_type = false;
        for (const auto& [k, v] : request.headers) {
            if (EqualsIgnoreCase(k, "content-type")) has_content_type = true;
            std::string line = v.empty() ? k + ";" : k + ": " + v;
            list = curl_slist_append(list, line.c_str());
        }
        if (!has_content_type && method != "GET" && method != "HEAD") {
            list = curl_slist_append(list, "Content-Type:");  // no form-urlencoded default
        }
        list = curl_slist_append(list, "Expect:");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);

        const CURLcode rc = curl_easy_perform(h);
        curl_slist_free_all(list);
        if (rc != CURLE_OK) {
            const std::string where = HostOf(request.url);
            const std::string what = curl_easy_strerror(rc);
            switch (rc) {
                case CURLE_OPERATION_TIMEDOUT:
                    return Status::DeadlineExceeded("request to " + where + " timed out");
                case CURLE_COULDNT_RESOLVE_HOST:
                case CURLE_COULDNT_RESOLVE_PROXY:
                case CURLE_COULDNT_CONNECT:
                case CURLE_SEND_ERROR:
                case CURLE_RECV_ERROR:
                case CURLE_GOT_NOTHING:
                case CURLE_PARTIAL_FILE:
                case CURLE_SSL_CONNECT_ERROR:
                case CURLE_HTTP2:
                case CURLE_HTTP2_STREAM:
                    return Status::Unavailable("cannot reach " + where + ": " + what);
                case CURLE_URL_MALFORMAT:
                case CURLE_UNSUPPORTED_PROTOCOL:
                    return Status::InvalidArgument("bad URL for " + where + ": " + what);
                case CURLE_PEER_FAILED_VERIFICATION:
                    return Status::Unavailable("TLS certificate of " + where + " not trusted: " + what);
                default:
                    return Status::Internal("request to " + where + " failed: " + what);
            }
        }
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        resp.status = static_cast<int>(code);
        if (resp.body.capacity() < resp.body.size() + kBodyPadding) resp.body.reserve(resp.body.size() + kBodyPadding);
        return resp;
    }

    ClientOptions options_;
    std::mutex mu_;
    std::vector<CURL*> idle_;
};

}  // namespace

HttpRequest& HttpRequest::SetHeader(std::string name, std::string value) {
    for (auto& [k, v] : headers) {
        if (EqualsIgnoreCase(k, name)) {
            v = std::move(value);
            return *this;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

std::string_view HttpRequest::Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (EqualsIgnoreCase(k, name)) return v;
    }
    return {};
}

std::string_view HttpResponse::Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (EqualsIgnoreCase(k, name)) return v;
    }
    return {};
}

std::unique_ptr<HttpClient> NewCurlClient(ClientOptions options) {
    return std::make_unique<CurlClient>(std::move(options));
}

}  // namespace mortar::net

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "net/paginator.hpp"

#include "net/url.hpp"

namespace mortar::net {

namespace {

class NextUrl final : public Pager {
public:
    explicit NextUrl(HttpRequest first) : first_(std::move(first)) {}
    HttpRequest First() override { return first_; }
    Result<std::optional<HttpRequest>> Next(const HttpResponse&, const PageResult& page) override {
        if (!page.next_url || page.next_url->empty()) return std::optional<HttpRequest>();
        HttpRequest next = first_;
        next.url = *page.next_url;
        return std::optional<HttpRequest>(std::move(next));
    }

private:
    HttpRequest first_;
};

class LinkHeader final : public Pager {
public:
    LinkHeader(HttpRequest first, int64_t page_size) : first_(std::move(first)), page_size_(page_size) {}
    HttpRequest First() override { return first_; }
    Result<std::optional<HttpRequest>> Next(const HttpResponse& last, const PageResult& page) override {
        if (page.records == 0 || page.records < page_size_) return std::optional<HttpRequest>();
        auto url = FindLink(last.Header("link"), "next");
        if (!url) return std::optional<HttpRequest>();
        HttpRequest next = first_;
        next.url = *url;
        return std::optional<HttpRequest>(std::move(next));
    }

private:
    HttpRequest first_;
    int64_t page_size_;
};

class PageNumber final : public Pager {
public:
    PageNumber(HttpRequest first, std::string param, int64_t page_size, bool strict)
        : first_(std::move(first)), param_(std::move(param)), page_size_(page_size), strict_(strict) {}
    HttpRequest First() override { return Page(1); }
    Result<std::optional<HttpRequest>> Next(const HttpResponse&, const PageResult& page) override {
        if (page.total) {
            if (strict_ && total_ && *total_ != *page.total) {
                return Status::Unavailable(
                    "the record count changed from " + std::to_string(*total_) + " to " + std::to_string(*page.total) +
                    " during paging; the listing is incomplete"
                );
            }
            total_ = page.total;
        }
        if (page.records < page_size_) return std::optional<HttpRequest>();
        if (total_ && page_ * page_size_ >= *total_) return std::optional<HttpRequest>();
        return std::optional<HttpRequest>(Page(page_ + 1));
    }

private:
    HttpRequest Page(int64_t n) {
        page_ = n;
        HttpRequest r = first_;
        r.url = AppendQuery(r.url, param_, std::to_string(n));
        return r;
    }

    HttpRequest first_;
    std::string param_;
    int64_t page_size_;
    bool strict_;
    int64_t page_ = 0;
    std::optional<int64_t> total_;
};

}  // namespace

std::unique_ptr<Pager> NextUrlPager(HttpRequest first) {
    return std::make_unique<NextUrl>(std::move(first));
}

std::unique_ptr<Pager> LinkHeaderPager(HttpRequest first, int64_t page_size) {
    return std::make_unique<LinkHeader>(std::move(first), page_size);
}

std::unique_ptr<Pager> PageNumberPager(
    HttpRequest first, std::string page_param, int64_t page_size, bool fail_on_total_change
) {
    return std::make_unique<PageNumber>(std::move(first), std::move(page_param), page_size, fail_on_total_change);
}

Status Paginate(Transport& transport, Pager& pager, const PageCallbacks& callbacks, int64_t max_pages) {
    std::optional<HttpRequest> request = pager.First();
    for (int64_t n = 0; request; ++n) {
        if (n >= max_pages) return Status::Internal("more than " + std::to_string(max_pages) + " pages; stopped");
        auto resp = transport.Send(*request);
        if (!resp.ok()) return resp.status();
        if (resp->status < 200 || resp->status > 299) {
            Status s = callbacks.check(*resp);
            if (s.ok()) s = Status::Internal("unexpected HTTP " + std::to_string(resp->status));
            return s;
        }
        PageResult page;
        MORTAR_RETURN_IF_ERROR(callbacks.parse(*resp, page));
        auto next = pager.Next(*resp, page);
        if (!next.ok()) return next.status();
        request = std::move(*next);
    }
    return Status::Ok();
}

}  // namespace mortar::net

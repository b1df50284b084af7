// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

// Shared DML is written with PostgreSQL's $1..$n placeholders. SQLite accepts "$1" too,
// but numbers such parameters by first appearance, so "SELECT $2, $1" would bind its
// values backwards; "?NNN" keeps the number. These functions find placeholders the way
// both engines' tokenizers do: never inside '...' string literals (including E'...' with
// backslash escapes), "..." quoted identifiers, -- and /* */ comments, or $tag$...$tag$
// dollar-quoted strings, and never as part of an identifier such as foo$1.
namespace mortar::db::internal {

// Returns `sql` with every placeholder $N rewritten to ?N. Everything else is unchanged.
std::string RewriteDollarPlaceholders(std::string_view sql);

// Returns the highest N of the placeholders $N in `sql` (0 when there are none). This is
// the number of parameters PostgreSQL expects.
int MaxPlaceholderIndex(std::string_view sql);

}  // namespace mortar::db::internal

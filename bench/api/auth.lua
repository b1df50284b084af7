-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script: sends the API key of MORTAR_BENCH_KEY on every request to the URL given
-- on wrk's command line. Used for GET /api/organizations?page[size]=100.
wrk.headers["x-api-key"] = os.getenv("MORTAR_BENCH_KEY") or ""

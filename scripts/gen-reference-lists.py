#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes the migration that seeds Mortar's read-only reference lists (API.md 3.2):
countries and their top-level regions from Debian's iso-codes data (ISO 3166-1 and
3166-2), platforms and operating systems from the list below. The output is committed,
so building Mortar needs neither this script nor iso-codes; rerun it to refresh:

    scripts/gen-reference-lists.py   # writes src/db/migrations/{sqlite,postgres}/0014_reference_lists.sql

Ids are assigned in a fixed order (countries by name, regions by country then name), so
every installation gives a country the same id.
"""
import json
import os
import sys

ISO = "/usr/share/iso-codes/json"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "db", "migrations")

PLATFORMS = {
    "Windows": ["Windows Server 2016", "Windows Server 2019", "Windows Server 2022", "Windows Server 2025",
                "Windows 10", "Windows 11"],
    "macOS": ["macOS 13 Ventura", "macOS 14 Sonoma", "macOS 15 Sequoia"],
    "Linux": ["Debian 12", "Ubuntu 22.04 LTS", "Ubuntu 24.04 LTS", "Red Hat Enterprise Linux 8",
              "Red Hat Enterprise Linux 9", "Rocky Linux 9", "AlmaLinux 9", "SUSE Linux Enterprise Server 15"],
    "Hypervisor": ["VMware ESXi 7", "VMware ESXi 8", "Proxmox VE 8", "Microsoft Hyper-V Server", "XCP-ng 8"],
    "Network": ["Cisco IOS", "Cisco IOS XE", "Cisco NX-OS", "FortiOS", "Junos OS", "PAN-OS", "SonicOS",
                "pfSense", "OPNsense", "MikroTik RouterOS", "UniFi OS", "Aruba AOS-CX"],
    "Mobile": ["iOS", "iPadOS", "Android"],
    "Storage": ["Synology DSM", "QNAP QTS", "TrueNAS"],
    "Other": ["ChromeOS", "FreeBSD", "Other"],
}


def quote(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    countries = json.load(open(os.path.join(ISO, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    subdivisions = json.load(open(os.path.join(ISO, "iso_3166-2.json"), encoding="utf-8"))["3166-2"]
    named = sorted(((c.get("common_name") or c["name"]), c["alpha_2"]) for c in countries)
    country_id = {iso: i + 1 for i, (_, iso) in enumerate(named)}
    regions = sorted(
        (country_id[s["code"].split("-")[0]], s["name"], s["code"])
        for s in subdivisions
        if "parent" not in s and s["code"].split("-")[0] in country_id
    )
    for dialect in ("sqlite", "postgres"):
        big = "INTEGER" if dialect == "sqlite" else "BIGINT"
        strict = " STRICT" if dialect == "sqlite" else ""
        lines = [
            "-- Read-only reference lists shared by every account (API.md 3.2): countries and their",
            "-- top-level regions (ISO 3166-1 and 3166-2, from Debian's iso-codes), platforms and",
            "-- operating systems. Written by scripts/gen-reference-lists.py; ids are stable.",
            f"CREATE TABLE countries (\n    id {big} PRIMARY KEY,\n    iso TEXT NOT NULL,\n    name TEXT NOT NULL,\n"
            f"    CONSTRAINT countries_iso_key UNIQUE (iso)\n){strict};",
            f"CREATE TABLE regions (\n    id {big} PRIMARY KEY,\n    country_id {big} NOT NULL REFERENCES countries (id),\n"
            f"    iso TEXT NOT NULL,\n    name TEXT NOT NULL,\n    CONSTRAINT regions_iso_key UNIQUE (iso)\n){strict};",
            "CREATE INDEX regions_country_id_idx ON regions (country_id, id);",
            f"CREATE TABLE platforms (\n    id {big} PRIMARY KEY,\n    name TEXT NOT NULL\n){strict};",
            f"CREATE TABLE operating_systems (\n    id {big} PRIMARY KEY,\n"
            f"    platform_id {big} NOT NULL REFERENCES platforms (id),\n    name TEXT NOT NULL\n){strict};",
        ]
        rows = [f"({country_id[iso]}, {quote(iso)}, {quote(name)})" for name, iso in named]
        lines.append("INSERT INTO countries (id, iso, name) VALUES\n" + ",\n".join(rows) + ";")
        for start in range(0, len(regions), 500):
            chunk = regions[start:start + 500]
            rows = [f"({start + i + 1}, {cid}, {quote(code)}, {quote(name)})" for i, (cid, name, code) in enumerate(chunk)]
            lines.append("INSERT INTO regions (id, country_id, iso, name) VALUES\n" + ",\n".join(rows) + ";")
        rows, os_rows, os_id = [], [], 0
        for pid, (platform, systems) in enumerate(PLATFORMS.items(), start=1):
            rows.append(f"({pid}, {quote(platform)})")
            for system in systems:
                os_id += 1
                os_rows.append(f"({os_id}, {pid}, {quote(system)})")
        lines.append("INSERT INTO platforms (id, name) VALUES\n" + ",\n".join(rows) + ";")
        lines.append("INSERT INTO operating_systems (id, platform_id, name) VALUES\n" + ",\n".join(os_rows) + ";")
        with open(os.path.join(OUT, dialect, "0014_reference_lists.sql"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print(f"{len(named)} countries, {len(regions)} regions, {len(PLATFORMS)} platforms, {os_id} operating systems")


if __name__ == "__main__":
    sys.exit(main())

-- Documentation core: lookups, organizations, locations, contacts, configurations.
-- Kept in step with the other dialect's file of the same number (same tables, columns, indexes).

ALTER TABLE accounts ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE organization_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE organization_statuses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE contact_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE configuration_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE configuration_statuses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE manufacturers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    manufacturer_id INTEGER REFERENCES manufacturers (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    alert TEXT,
    description TEXT,
    quick_notes TEXT,
    short_name TEXT,
    organization_type_id INTEGER REFERENCES organization_types (id) ON DELETE SET NULL,
    organization_status_id INTEGER REFERENCES organization_statuses (id) ON DELETE SET NULL,
    parent_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    ancestor_ids TEXT NOT NULL DEFAULT '[]',
    is_primary INTEGER NOT NULL DEFAULT 0,
    my_glue_account_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE NOT NULL,
    name TEXT NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0,
    address_1 TEXT,
    address_2 TEXT,
    city TEXT,
    postal_code TEXT,
    region_id INTEGER,
    country_id INTEGER,
    phone TEXT,
    fax TEXT,
    notes TEXT,
    restricted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE NOT NULL,
    first_name TEXT,
    last_name TEXT,
    title TEXT,
    notes TEXT,
    contact_type_id INTEGER REFERENCES contact_types (id) ON DELETE SET NULL,
    location_id INTEGER REFERENCES locations (id) ON DELETE SET NULL,
    important INTEGER NOT NULL DEFAULT 0,
    restricted INTEGER NOT NULL DEFAULT 0,
    contact_emails TEXT NOT NULL DEFAULT '[]',
    contact_phones TEXT NOT NULL DEFAULT '[]',
    primary_email TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE configurations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE NOT NULL,
    configuration_type_id INTEGER REFERENCES configuration_types (id) ON DELETE SET NULL,
    configuration_status_id INTEGER REFERENCES configuration_statuses (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    hostname TEXT,
    primary_ip TEXT,
    mac_address TEXT,
    default_gateway TEXT,
    serial_number TEXT,
    asset_tag TEXT,
    position TEXT,
    installed_by TEXT,
    purchased_by TEXT,
    notes TEXT,
    operating_system_notes TEXT,
    purchased_at TEXT,
    installed_at TEXT,
    warranty_expires_at TEXT,
    mitp_device_expiration_date TEXT,
    mitp_end_of_life_date TEXT,
    location_id INTEGER REFERENCES locations (id) ON DELETE SET NULL,
    contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    manufacturer_id INTEGER REFERENCES manufacturers (id) ON DELETE SET NULL,
    model_id INTEGER REFERENCES models (id) ON DELETE SET NULL,
    operating_system_id INTEGER,
    archived INTEGER NOT NULL DEFAULT 0,
    restricted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE configuration_interfaces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    configuration_id INTEGER REFERENCES configurations (id) ON DELETE CASCADE NOT NULL,
    name TEXT,
    ip_address TEXT,
    mac_address TEXT,
    mac_normalized TEXT,
    is_primary INTEGER NOT NULL DEFAULT 0,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX organizations_account_id_name_idx ON organizations (account_id, name);
CREATE INDEX organizations_account_id_parent_id_idx ON organizations (account_id, parent_id);
CREATE INDEX organizations_account_id_updated_at_idx ON organizations (account_id, updated_at);
CREATE INDEX locations_account_id_organization_id_idx ON locations (account_id, organization_id);
CREATE INDEX contacts_account_id_organization_id_idx ON contacts (account_id, organization_id);
CREATE INDEX contacts_account_id_primary_email_idx ON contacts (account_id, primary_email);
CREATE INDEX configurations_account_id_organization_id_idx ON configurations (account_id, organization_id);
CREATE INDEX configurations_account_id_serial_number_idx ON configurations (account_id, serial_number);
CREATE INDEX configuration_interfaces_account_id_configuration_id_idx ON configuration_interfaces (account_id, configuration_id);
CREATE INDEX configuration_interfaces_account_id_mac_normalized_idx ON configuration_interfaces (account_id, mac_normalized);
CREATE INDEX models_account_id_manufacturer_id_idx ON models (account_id, manufacturer_id);
CREATE INDEX organization_types_account_id_name_idx ON organization_types (account_id, name);
CREATE INDEX organization_statuses_account_id_name_idx ON organization_statuses (account_id, name);
CREATE INDEX contact_types_account_id_name_idx ON contact_types (account_id, name);
CREATE INDEX configuration_types_account_id_name_idx ON configuration_types (account_id, name);
CREATE INDEX configuration_statuses_account_id_name_idx ON configuration_statuses (account_id, name);
CREATE INDEX manufacturers_account_id_name_idx ON manufacturers (account_id, name);

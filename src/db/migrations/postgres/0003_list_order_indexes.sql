-- List pages walk an account's rows in id order (the default sort): index (account_id, id)
-- so a page is an index range scan rather than a sort of the whole account.
CREATE INDEX organization_types_account_id_id_idx ON organization_types (account_id, id);
CREATE INDEX organization_statuses_account_id_id_idx ON organization_statuses (account_id, id);
CREATE INDEX contact_types_account_id_id_idx ON contact_types (account_id, id);
CREATE INDEX configuration_types_account_id_id_idx ON configuration_types (account_id, id);
CREATE INDEX configuration_statuses_account_id_id_idx ON configuration_statuses (account_id, id);
CREATE INDEX manufacturers_account_id_id_idx ON manufacturers (account_id, id);
CREATE INDEX models_account_id_id_idx ON models (account_id, id);
CREATE INDEX organizations_account_id_id_idx ON organizations (account_id, id);
CREATE INDEX locations_account_id_id_idx ON locations (account_id, id);
CREATE INDEX contacts_account_id_id_idx ON contacts (account_id, id);
CREATE INDEX configurations_account_id_id_idx ON configurations (account_id, id);
CREATE INDEX configuration_interfaces_account_id_id_idx ON configuration_interfaces (account_id, id);

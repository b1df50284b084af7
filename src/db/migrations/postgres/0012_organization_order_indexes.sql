-- Lists of an organization's records are filtered by organization and ordered by id: one
-- index (account_id, organization_id, id) serves both, so a page never walks the account's
-- whole id order (PostgreSQL picked that plan for configurations) nor sorts the organization's rows.
CREATE INDEX locations_account_id_organization_id_id_idx ON locations (account_id, organization_id, id);
CREATE INDEX contacts_account_id_organization_id_id_idx ON contacts (account_id, organization_id, id);
CREATE INDEX configurations_account_id_organization_id_id_idx ON configurations (account_id, organization_id, id);
CREATE INDEX passwords_account_id_organization_id_id_idx ON passwords (account_id, organization_id, id);
CREATE INDEX documents_account_id_organization_id_id_idx ON documents (account_id, organization_id, id);
CREATE INDEX checklists_account_id_organization_id_id_idx ON checklists (account_id, organization_id, id);
CREATE INDEX flexible_assets_account_id_organization_id_id_idx ON flexible_assets (account_id, organization_id, id);
DROP INDEX locations_account_id_organization_id_idx;
DROP INDEX contacts_account_id_organization_id_idx;
DROP INDEX configurations_account_id_organization_id_idx;
DROP INDEX passwords_account_id_organization_id_idx;
DROP INDEX documents_account_id_organization_id_idx;
DROP INDEX checklists_account_id_organization_id_idx;
CREATE INDEX flexible_assets_account_id_type_id_idx ON flexible_assets (account_id, flexible_asset_type_id, id);
DROP INDEX flexible_assets_account_id_type_idx;

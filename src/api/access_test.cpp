// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/access.hpp"

#include <gtest/gtest.h>

namespace mortar::api {
namespace {

using auth::Role;

auth::Principal User(
    Role role, bool all_organizations, std::vector<int64_t> orgs = {}, std::vector<int64_t> groups = {}
) {
    auth::Principal p;
    p.account_id = 1;
    p.user_id = 7;
    p.role = role;
    p.all_organizations = all_organizations;
    p.organization_ids = std::move(orgs);
    p.group_ids = std::move(groups);
    return p;
}

TEST(AccessTest, AdministratorsMayDoEverythingAndReadOnlyOnlyRead) {
    for (AccessClass cls :
         {AccessClass::kDocumentation,
          AccessClass::kOrganizations,
          AccessClass::kConfiguration,
          AccessClass::kActivity,
          AccessClass::kAdministration}) {
        for (Op op : {Op::kRead, Op::kCreate, Op::kUpdate, Op::kDelete, Op::kReveal, Op::kComplete}) {
            EXPECT_TRUE(RoleAllows(Role::kAdministrator, cls, op));
            EXPECT_EQ(RoleAllows(Role::kReadOnly, cls, op), op == Op::kRead && cls != AccessClass::kAdministration);
        }
    }
    EXPECT_TRUE(RoleAllows(Role::kCreator, AccessClass::kDocumentation, Op::kUpdate));
    EXPECT_FALSE(RoleAllows(Role::kCreator, AccessClass::kDocumentation, Op::kDelete));
    EXPECT_TRUE(RoleAllows(Role::kLite, AccessClass::kDocumentation, Op::kComplete));
    EXPECT_FALSE(RoleAllows(Role::kManager, AccessClass::kAdministration, Op::kRead));
}

TEST(AccessTest, RefusalsNameTheRoleAndTheOperation) {
    Status s = CheckRole(User(Role::kLite, true), AccessClass::kDocumentation, Op::kUpdate, "passwords");
    EXPECT_EQ(s.code(), Code::kPermissionDenied);
    EXPECT_EQ(s.message(), "the role lite may not update passwords");
}

TEST(AccessTest, OrganizationConditionKeepsRecordsOfNoOrganization) {
    EXPECT_EQ(OrganizationCondition(User(Role::kEditor, true), "t.organization_id"), "");
    EXPECT_EQ(OrganizationCondition(User(Role::kEditor, false), ""), "");
    EXPECT_EQ(OrganizationCondition(User(Role::kEditor, false), "t.organization_id"), "t.organization_id IS NULL");
    EXPECT_EQ(
        OrganizationCondition(User(Role::kEditor, false, {3, 9}), "t.organization_id"),
        "(t.organization_id IS NULL OR t.organization_id IN (3, 9))"
    );
}

TEST(AccessTest, GrantConditionCoversTheUserAndTheGroups) {
    EXPECT_EQ(GrantCondition(User(Role::kAdministrator, true), "t", "passwords"), "");
    const std::string manager = GrantCondition(User(Role::kManager, true, {}, {4, 5}), "t", "passwords");
    EXPECT_NE(manager.find("NOT t.restricted"), std::string::npos) << manager;
    EXPECT_NE(manager.find("g.user_id = 7"), std::string::npos) << manager;
    EXPECT_NE(manager.find("g.group_id IN (4, 5)"), std::string::npos) << manager;
    EXPECT_NE(manager.find("g.record_table = 'passwords'"), std::string::npos) << manager;
    const std::string alone = GrantCondition(User(Role::kEditor, true), "r", "documents");
    EXPECT_EQ(alone.find("group_id"), std::string::npos) << "no groups, no group clause: " << alone;
}

}  // namespace
}  // namespace mortar::api

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/normalize.hpp"

#include <gtest/gtest.h>

namespace mortar::match {
namespace {

struct Case {
    const char* raw;
    const char* key;
    const char* removed;  // DescribeRemoved()
};

void Check(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        const NormalizedName n = Normalize(c.raw);
        EXPECT_EQ(n.key, c.key) << c.raw;
        EXPECT_EQ(n.DescribeRemoved(), c.removed) << c.raw;
    }
}

TEST(NormalizeTest, EnglishAndAustralianLegalForms) {
    Check({
        {"Contoso, Inc.", "contoso", "'Inc.'"},
        {"Contoso Incorporated", "contoso", "'Incorporated'"},
        {"Contoso LLC", "contoso", "'LLC'"},
        {"Contoso L.L.C.", "contoso", "'L.L.C.'"},
        {"Contoso Ltd.", "contoso", "'Ltd.'"},
        {"CONTOSO LIMITED", "contoso", "'LIMITED'"},
        {"Contoso PLC", "contoso", "'PLC'"},
        {"Contoso Corp.", "contoso", "'Corp.'"},
        {"Contoso Co., Ltd.", "contoso", "'Co., Ltd.'"},
        {"Contoso Pty Ltd", "contoso", "'Pty Ltd'"},
        {"Contoso Pty. Ltd.", "contoso", "'Pty. Ltd.'"},
        {"Contoso LLP", "contoso", "'LLP'"},
    });
}

TEST(NormalizeTest, GermanDutchFrenchSpanishItalianNordicForms) {
    Check({
        {"Müller GmbH", "muller", "'GmbH'"},
        {"Müller GmbH & Co. KG", "muller", "'GmbH & Co. KG'"},
        {"Siemens AG", "siemens", "'AG'"},
        {"Bakker B.V.", "bakker", "'B.V.'"},
        {"Bakker B. V.", "bakker", "'B. V.'"},
        {"Bakker BV", "bakker", "'BV'"},
        {"N.V. Nutricia", "nutricia", "'N.V.'"},
        {"Naamloze Vennootschap Nutricia", "nutricia", "'Naamloze Vennootschap'"},
        {"Dubois S.A.R.L.", "dubois", "'S.A.R.L.'"},
        {"Dubois SAS", "dubois", "'SAS'"},
        {"Dubois S.A.", "dubois", "'S.A.'"},
        {"Garcia Sociedad Anónima", "garcia", "'Sociedad Anónima'"},
        {"Rossi S.p.A.", "rossi", "'S.p.A.'"},
        {"Rossi S.r.l.", "rossi", "'S.r.l.'"},
        {"Garcia S.L.", "garcia", "'S.L.'"},
        {"Volvo AB", "volvo", "'AB'"},
        {"AB Volvo", "volvo", "'AB'"},
        {"Nokia Oyj", "nokia", "'Oyj'"},
        {"Ørsted A/S", "orsted", "'A/S'"},
        {"Kongsberg AS", "kongsberg", "'AS'"},
        {"Lego ApS", "lego", "'ApS'"},
        {"Volvo Aktiebolag", "volvo", "'Aktiebolag'"},
    });
}

TEST(NormalizeTest, AccentsAndCase) {
    Check({
        {"Société Générale S.A.", "societe generale", "'S.A.'"},
        {"SOCIÉTÉ GÉNÉRALE", "societe generale", ""},
        {"Bjørn Ærø Œuvre ApS", "bjorn aero oeuvre", "'ApS'"},
        {"Großhandel Weiß GmbH", "grosshandel weiss", "'GmbH'"},
        {"Łukasz Wójcik Sp. z o.o.", "lukasz wojcik", "'Sp. z o.o.'"},
        {"bioMérieux", "biomerieux", ""},
    });
}

TEST(NormalizeTest, NeverEmptiesTheName) {
    Check({
        {"GmbH", "gmbh", ""},
        {"Ltd", "ltd", ""},
        {"B.V.", "bv", ""},
    });
}

TEST(NormalizeTest, InitialsAreJoined) {
    Check({
        {"A.B.C. Plumbing", "abc plumbing", ""},
        {"A B C Plumbing", "abc plumbing", ""},
        {"D S M N.V.", "dsm", "'N.V.'"},  // the run keeps its legal form apart
        {"N.V.PHILIPS GLOEILAMPENFABRIEKEN", "philips gloeilampenfabrieken", "'N.V.'"},
        {"U.S. Philips Corporation", "us philips", "'Corporation'"},
    });
}

TEST(NormalizeTest, OrdinalsNumbersAndConnectors) {
    Check({
        {"1st Choice Dental", "1 choice dental", ""},
        {"First Choice Dental", "1 choice dental", ""},
        {"Twenty First Century Fox", "20 1 century fox", ""},
        {"21st Century Fox", "21 century fox", ""},
        {"Smith & Jones", "smith jones", ""},
        {"Smith and Jones", "smith jones", ""},
        {"Schmidt und Söhne", "schmidt sohne", ""},
        {"Jansen en Zonen", "jansen zonen", ""},
        {"Dupont et Fils", "dupont fils", ""},
        {"PHARMACIA &AMP UPJOHN", "pharmacia upjohn", ""},
        {"The Goodyear Tire & Rubber Co.", "goodyear tire rubber", "'Co.'"},
    });
}

TEST(NormalizeTest, PunctuationMarkersAndQualifiers) {
    Check({
        {"* AKZO NOBEL N.V.", "akzo nobel", "'*' and 'N.V.'"},
        {"GIST-BROCADES B.V.", "gist brocades", "'B.V.'"},
        {"PHILIP'S GLOEILAMPENFABRIEKEN", "philips gloeilampenfabrieken", ""},
        {"O'Brien Plumbing", "obrien plumbing", ""},
        {"CARGILL B.V., BERGEN OP ZOOM, NL", "cargill", "'B.V.' and 'BERGEN OP ZOOM, NL'"},
        {"Akzo Nobel, Inc.", "akzo nobel", "'Inc.'"},
        {"PHILIPS ELECTRONICS N.V. TE EINDHOVEN.", "philips electronics", "'N.V.' and 'TE EINDHOVEN.'"},
        {"DU PONT DE NEMOURS (NEDERLAND) B.V.", "du pont de nemours", "'B.V.' and 'NEDERLAND'"},
        {"DSM IP, ASSETS, B.V.", "dsm ip assets", "'B.V.'"},  // no place before a legal form
    });
    EXPECT_EQ(Normalize("CARGILL B.V., BERGEN OP ZOOM").qualifier, "bergen op zoom");
}

TEST(NormalizeTest, FormsOnlyAtTheEdges) {
    // "Inc" inside the name stays (weighted low by the matcher), marked as form-like.
    const NormalizedName n = Normalize("Hitachi Storage, Inc. Netherlands B.V.");
    EXPECT_EQ(n.key, "hitachi storage inc netherlands");
    ASSERT_EQ(n.form_like.size(), 4u);
    EXPECT_TRUE(n.form_like[2]);
    EXPECT_FALSE(n.form_like[0]);
    // An everyday word that is also a form somewhere is not stripped from the start.
    EXPECT_EQ(Normalize("In Touch Dental").key, "in touch dental");
}

TEST(NormalizeTest, HugeInputIsCutNotSlow) {
    std::string huge(200000, 'a');
    huge += " Ltd";
    const NormalizedName n = Normalize("Contoso " + huge);
    ASSERT_EQ(n.tokens.size(), 2u);
    EXPECT_EQ(n.tokens[0], "contoso");
    EXPECT_LT(n.tokens[1].size(), 1024u);
    // The cut never splits a UTF-8 sequence.
    const NormalizedName accents = Normalize(std::string(1023, 'x') + "é");
    EXPECT_EQ(accents.key, std::string(1023, 'x'));
}

TEST(NormalizeTest, FamiliesOfRemovedForms) {
    EXPECT_EQ(Normalize("Contoso Ltd").family, FormFamily::kCompany);
    EXPECT_FALSE(Normalize("Contoso").family.has_value());
}

TEST(LegalFormsTest, EmbeddedTableIsLoaded) {
    const LegalForms& forms = LegalForms::Default();
    EXPECT_GT(forms.alias_count(), 1000u);
    for (const char* t : {"gmbh", "bv", "nv", "sarl", "spa", "oy", "ab", "plc", "llc", "inc"}) {
        EXPECT_TRUE(forms.IsFormToken(t)) << t;
    }
    EXPECT_FALSE(forms.IsFormToken("contoso"));
}

TEST(LegalFormsTest, ParsesTheYamlSubset) {
    auto parsed = LegalForms::Parse(
        "types:\n"
        "  # a comment\n"
        "  - display: Foo Ltd\n"
        "    generic: LLC\n"
        "    aliases:\n"
        "      - Foo Limited # trailing comment\n"
        "      - \"F. L.\"\n"
        "      - 'Fo''o'\n"
        "  - generic: NGO\n"
        "    aliases:\n"
        "      - Verein\n"
    );
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    const LegalForms& forms = **parsed;
    EXPECT_TRUE(forms.IsFormToken("fl"));
    EXPECT_TRUE(forms.IsFormToken("foo"));
    EXPECT_TRUE(forms.IsFormToken("verein"));
    const std::vector<std::string> tokens = {"acme", "foo", "limited"};
    int form = -1;
    EXPECT_EQ(forms.MatchEnding(tokens, 3, &form), 2u);
    EXPECT_EQ(forms.form(form).display, "Foo Ltd");
    EXPECT_EQ(Normalize("Acme Verein", forms).family, FormFamily::kNonProfit);
}

TEST(LegalFormsTest, RejectsMalformedYaml) {
    EXPECT_FALSE(LegalForms::Parse("kinds:\n  - display: X\n").ok());
    EXPECT_FALSE(LegalForms::Parse("types:\n  - display: X\n    colour: red\n").ok());
    EXPECT_FALSE(LegalForms::Parse("").ok());
}

}  // namespace
}  // namespace mortar::match

// Validators: UTF-8 length and width, Chinese code check characters, phone and e-mail forms.
// Every check character below was computed by an independent script, not copied from memory.
#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include "qualify/detail/validators.hpp"

namespace {

namespace d = qualify::detail;

template <class T>
struct Case {
  std::string name;
  std::string input;
  T expected;
};

// Failure messages print the case's name, not the object's bytes.
template <class T>
void PrintTo(const Case<T>& c, std::ostream* os) {
  *os << c.name;
}

using BoolCase = Case<bool>;

auto case_name = [](const auto& info) { return info.param.name; };

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// ---------------------------------------------------------------------------- UTF-8

class Utf8ValidTest : public testing::TestWithParam<BoolCase> {};

TEST_P(Utf8ValidTest, AcceptsOnlyWellFormedUtf8) {
  EXPECT_EQ(d::utf8_valid(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, Utf8ValidTest,
    testing::Values(BoolCase{"Empty", "", true},
                    BoolCase{"Ascii", "Digital Technology Engineer", true},
                    BoolCase{"Chinese", "数字技术工程师", true},
                    BoolCase{"EmbeddedNul", std::string("a\0b", 3), true},
                    BoolCase{"TwoByteMinimum", "\xC2\x80", true},
                    BoolCase{"ThreeByteMinimum", "\xE0\xA0\x80", true},
                    BoolCase{"LastBeforeSurrogates", "\xED\x9F\xBF", true},
                    BoolCase{"FirstAfterSurrogates", "\xEE\x80\x80", true},
                    BoolCase{"FourByteEmoji", "\xF0\x9F\x98\x80", true},
                    BoolCase{"MaxCodePoint", "\xF4\x8F\xBF\xBF", true},
                    BoolCase{"OverlongSlash", "\xC0\xAF", false},
                    BoolCase{"OverlongC1", "\xC1\xBF", false},
                    BoolCase{"OverlongThreeByte", "\xE0\x80\xAF", false},
                    BoolCase{"OverlongFourByte", "\xF0\x80\x80\xAF", false},
                    BoolCase{"HighSurrogate", "\xED\xA0\x80", false},
                    BoolCase{"LowSurrogate", "\xED\xBF\xBF", false},
                    BoolCase{"AboveMaxCodePoint", "\xF4\x90\x80\x80", false},
                    BoolCase{"LeadByteF5", "\xF5\x80\x80\x80", false},
                    BoolCase{"ByteFF", "\xFF", false},
                    BoolCase{"StrayContinuation", "\x80", false},
                    BoolCase{"TruncatedChinese", "\xE4\xB8", false},
                    BoolCase{"TruncatedChineseThenAscii", "\xE4\xB8" "A", false},
                    BoolCase{"TruncatedEmoji", "\xF0\x9F\x98", false},
                    BoolCase{"ChineseThenTruncated", "重庆\xE5", false}),
    case_name);

using LengthCase = Case<std::optional<std::size_t>>;

class Utf8LengthTest : public testing::TestWithParam<LengthCase> {};

TEST_P(Utf8LengthTest, CountsCodePoints) {
  EXPECT_EQ(d::utf8_length(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, Utf8LengthTest,
    testing::Values(LengthCase{"Empty", "", 0},
                    LengthCase{"Ascii", "abc", 3},
                    LengthCase{"Mixed", "AI工程师", 5},
                    LengthCase{"EightHundredChinese", repeat("字", 800), 800},
                    LengthCase{"EightHundredOneChinese", repeat("字", 801), 801},
                    LengthCase{"FourByteEmoji", "\xF0\x9F\x98\x80", 1},
                    LengthCase{"CombiningMarkCountsItself", "e\xCC\x81", 2},
                    LengthCase{"Overlong", "\xC0\xAF", std::nullopt},
                    LengthCase{"Surrogate", "\xED\xA0\x80", std::nullopt},
                    LengthCase{"Truncated", "重庆\xE5\xBA", std::nullopt}),
    case_name);

TEST(Utf8LengthTest, IsNotAByteCount) {
  // The notice's "800字以内" limit must see 800 characters where a byte count sees 2400.
  EXPECT_EQ(repeat("字", 800).size(), 2400u);
  EXPECT_EQ(repeat("字", 801).size(), 2403u);
  EXPECT_LE(*d::utf8_length(repeat("字", 800)), 800u);
  EXPECT_GT(*d::utf8_length(repeat("字", 801)), 800u);
}

using WidthCase = Case<std::size_t>;

class DisplayWidthTest : public testing::TestWithParam<WidthCase> {};

TEST_P(DisplayWidthTest, CountsTerminalColumns) {
  EXPECT_EQ(d::display_width(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, DisplayWidthTest,
    testing::Values(WidthCase{"Empty", "", 0},
                    WidthCase{"Ascii", "ABC", 3},
                    WidthCase{"Chinese", "重庆", 4},
                    WidthCase{"ChineseAndAscii", "重庆AI", 6},
                    WidthCase{"OccupationWithAbbreviation", "数字技术工程师 (DTE)", 20},
                    WidthCase{"IdeographicSpaceAndFullStop", "\xE3\x80\x80。", 4},
                    WidthCase{"ChinesePunctuation", "《通知》，", 10},
                    WidthCase{"FullwidthLetters", "ＡＢ", 4},
                    WidthCase{"FullwidthYen", "\xEF\xBF\xA5", 2},
                    WidthCase{"HalfwidthKatakana", "\xEF\xBD\xB1", 1},
                    WidthCase{"Hangul", "한국", 4},
                    WidthCase{"ExtensionBIdeograph", "\xF0\xA0\x80\x80", 2},
                    WidthCase{"Emoji", "\xF0\x9F\x98\x80", 2},
                    WidthCase{"AmbiguousCircledDigit", "①", 1},
                    WidthCase{"CombiningAcute", "e\xCC\x81", 1},
                    WidthCase{"ZeroWidthSpace", "a\xE2\x80\x8B" "b", 2},
                    WidthCase{"InvalidBytesOneEach", "\xFF\xFE", 2},
                    WidthCase{"TruncatedSequenceOneEach", "重\xE5\xBA", 4},
                    WidthCase{"SurrogateBytesOneEach", "\xED\xA0\x80", 3}),
    case_name);

// ---------------------------------------------------------------------------- GB 32100-2015

class UsccValidTest : public testing::TestWithParam<BoolCase> {};

TEST_P(UsccValidTest, ChecksLengthAlphabetAndCheckCharacter) {
  EXPECT_EQ(d::uscc_valid(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, UsccValidTest,
    testing::Values(BoolCase{"SampleInstitution", "52500112MJP123451G", true},
                    BoolCase{"BeijingCompany", "91110000600037341L", true},
                    BoolCase{"LetterInOrgCode", "91350100M000100Y43", true},
                    BoolCase{"CheckCharacterZero", "91500105MA60001630", true},
                    BoolCase{"OwnCheckButBadOrgCode", "52500112MJP123452K", true},
                    BoolCase{"CheckOneAbove", "52500112MJP123451H", false},
                    BoolCase{"CheckOneBelow", "52500112MJP123451F", false},
                    BoolCase{"CheckLetterOForZero", "91500105MA6000163O", false},
                    BoolCase{"BodyDigitChanged", "52500112MJP123461G", false},
                    BoolCase{"TwoDigitsSwapped", "52500112MJP213451G", false},
                    BoolCase{"SeventeenCharacters", "52500112MJP12345D", false},
                    BoolCase{"NineteenCharacters", "52500112MJP123451G0", false},
                    BoolCase{"Empty", "", false},
                    BoolCase{"LetterI", "52500112IJP123451G", false},
                    BoolCase{"LetterO", "52500112OJP123451G", false},
                    BoolCase{"LetterZ", "52500112ZJP123451G", false},
                    BoolCase{"LetterS", "52500112SJP123451G", false},
                    BoolCase{"LetterV", "52500112VJP123451G", false},
                    BoolCase{"Lowercase", "52500112mjp123451g", false},
                    BoolCase{"LowercaseCheckOnly", "52500112MJP123451g", false},
                    BoolCase{"Hyphenated", "52500112-MJP12345-1G", false},
                    BoolCase{"TrailingSpace", "52500112MJP123451G ", false}),
    case_name);

class UsccOrgCodeValidTest : public testing::TestWithParam<BoolCase> {};

TEST_P(UsccOrgCodeValidTest, ChecksEmbeddedOrganisationCode) {
  EXPECT_EQ(d::uscc_org_code_valid(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, UsccOrgCodeValidTest,
    testing::Values(BoolCase{"SampleInstitution", "52500112MJP123451G", true},
                    BoolCase{"BeijingCompany", "91110000600037341L", true},
                    BoolCase{"LetterInOrgCode", "91350100M000100Y43", true},
                    BoolCase{"OrgCheckZero", "91500105MA60053000", true},
                    BoolCase{"OrgCheckX", "91500105MA600050X1", true},
                    BoolCase{"WrongOrgCheck", "52500112MJP123452K", false},
                    BoolCase{"InvalidUscc", "52500112MJP123451H", false},
                    BoolCase{"TooShort", "52500112MJP1234", false},
                    BoolCase{"Empty", "", false}),
    case_name);

using CheckCase = Case<char>;

class UsccCheckCharTest : public testing::TestWithParam<CheckCase> {};

TEST_P(UsccCheckCharTest, ComputesPosition18) {
  EXPECT_EQ(d::uscc_check_char(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, UsccCheckCharTest,
    testing::Values(CheckCase{"SampleInstitution", "52500112MJP123451", 'G'},
                    CheckCase{"BeijingCompany", "91110000600037341", 'L'},
                    CheckCase{"LetterInOrgCode", "91350100M000100Y4", '3'},
                    CheckCase{"AllZerosWrapsToZero", "00000000000000000", '0'},
                    CheckCase{"SixteenCharacters", "52500112MJP12345", '\0'},
                    CheckCase{"EighteenCharacters", "52500112MJP123451G", '\0'},
                    CheckCase{"ForbiddenLetter", "52500112MJP1234I1", '\0'},
                    CheckCase{"Lowercase", "52500112mjp123451", '\0'}),
    case_name);

// ---------------------------------------------------------------------------- GB 11714-1997

class OrgCodeCheckCharTest : public testing::TestWithParam<CheckCase> {};

TEST_P(OrgCodeCheckCharTest, ComputesCheckCharacter) {
  EXPECT_EQ(d::org_code_check_char(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, OrgCodeCheckCharTest,
    testing::Values(CheckCase{"StandardExample", "D2143569", 'X'},
                    CheckCase{"SampleInstitution", "MJP12345", '1'},
                    CheckCase{"Digits", "12345678", '8'},
                    CheckCase{"ElevenIsZero", "00000000", '0'},
                    CheckCase{"LettersOutsideUsccAlphabet", "ZZZZZZZZ", '3'},
                    CheckCase{"SevenCharacters", "D214356", '\0'},
                    CheckCase{"Lowercase", "d2143569", '\0'},
                    CheckCase{"Hyphen", "D214356-", '\0'}),
    case_name);

// ---------------------------------------------------------------------------- GB 11643-1999

class CnIdValidTest : public testing::TestWithParam<BoolCase> {};

TEST_P(CnIdValidTest, ChecksRegionBirthDateAndCheckCharacter) {
  EXPECT_EQ(d::cn_id_valid(GetParam().input), GetParam().expected);
}

// Each invalid case below carries the check character its first 17 digits call for, so it
// fails for the reason its name gives and no other.
INSTANTIATE_TEST_SUITE_P(
    Inputs, CnIdValidTest,
    testing::Values(BoolCase{"Chongqing", "500101198001011235", true},
                    BoolCase{"CheckX", "11010519491231002X", true},
                    BoolCase{"Shenzhen", "440304199912310007", true},
                    BoolCase{"LeapDay2000", "500101200002290010", true},
                    BoolCase{"LeapDay2024", "500101202402290019", true},
                    BoolCase{"FirstDayOf1900", "510108190001010013", true},
                    BoolCase{"RegionStartingWithEight", "810000199912310012", true},
                    BoolCase{"February30", "500101190002300016", false},
                    BoolCase{"LeapDay1900", "500101190002290014", false},
                    BoolCase{"LeapDay2100", "50010121000229001X", false},
                    BoolCase{"Year1899", "500101189912310012", false},
                    BoolCase{"Month13", "500101198013010010", false},
                    BoolCase{"Month00", "500101198000010011", false},
                    BoolCase{"Day32", "500101198001320011", false},
                    BoolCase{"April31", "500101198004310011", false},
                    BoolCase{"RegionStartingWithZero", "010101198001010017", false},
                    BoolCase{"RegionStartingWithNine", "91010119800101001X", false},
                    BoolCase{"CheckOneAbove", "500101198001011236", false},
                    BoolCase{"CheckOneBelow", "500101198001011234", false},
                    BoolCase{"DigitWhereXBelongs", "110105194912310029", false},
                    BoolCase{"LowercaseX", "11010519491231002x", false},
                    BoolCase{"XInBody", "5001011980010112X5", false},
                    BoolCase{"SeventeenDigits", "50010119800101123", false},
                    BoolCase{"NineteenDigits", "5001011980010112350", false},
                    BoolCase{"OldFifteenDigit", "500101800101123", false},
                    BoolCase{"Empty", "", false}),
    case_name);

class CnIdCheckCharTest : public testing::TestWithParam<CheckCase> {};

TEST_P(CnIdCheckCharTest, ComputesPosition18) {
  EXPECT_EQ(d::cn_id_check_char(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, CnIdCheckCharTest,
    testing::Values(CheckCase{"Chongqing", "50010119800101123", '5'},
                    CheckCase{"X", "11010519491231002", 'X'},
                    CheckCase{"Zero", "50010120000229001", '0'},
                    CheckCase{"SixteenDigits", "5001011980010112", '\0'},
                    CheckCase{"Letter", "5001011980010112A", '\0'}),
    case_name);

// ---------------------------------------------------------------------------- phone

class PhoneValidTest : public testing::TestWithParam<BoolCase> {};

TEST_P(PhoneValidTest, AcceptsMainlandMobileAndLandline) {
  EXPECT_EQ(d::phone_valid(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, PhoneValidTest,
    testing::Values(BoolCase{"Mobile", "13812345678", true},
                    BoolCase{"MobileNineteen", "19912345678", true},
                    BoolCase{"MobilePlus86", "+8613812345678", true},
                    BoolCase{"MobilePlus86Space", "+86 13812345678", true},
                    BoolCase{"Mobile86", "8613812345678", true},
                    BoolCase{"LandlineHyphen", "023-88152120", true},
                    BoolCase{"LandlineSpace", "023 88152120", true},
                    BoolCase{"LandlineRun", "02388152120", true},
                    BoolCase{"LandlineBeijing", "010-62751234", true},
                    BoolCase{"LandlineFourDigitArea", "0755-23456789", true},
                    BoolCase{"LandlineSevenDigits", "0755-2345678", true},
                    BoolCase{"LandlineParentheses", "(023)88152120", true},
                    BoolCase{"LandlineParenthesesSpace", "(023) 88152120", true},
                    BoolCase{"ExtensionHyphen", "023-88152120-1234", true},
                    BoolCase{"ExtensionZhuan", "023-88152120转1234", true},
                    BoolCase{"ParenthesesExtension", "(023)88152120转801", true},
                    BoolCase{"Empty", "", false},
                    BoolCase{"MobileSecondDigitTwo", "12812345678", false},
                    BoolCase{"MobileTenDigits", "1381234567", false},
                    BoolCase{"MobileTwelveDigits", "138123456789", false},
                    BoolCase{"MobileGrouped", "138-1234-5678", false},
                    BoolCase{"MobileSpaced", "138 1234 5678", false},
                    BoolCase{"MobilePlus86Hyphen", "+86-13812345678", false},
                    BoolCase{"Mobile0086", "008613812345678", false},
                    BoolCase{"MobileWithLetters", "tel:13812345678", false},
                    BoolCase{"LocalWithoutArea", "88152120", false},
                    BoolCase{"LocalStartsWithZero", "023-08152120", false},
                    BoolCase{"LocalStartsWithOne", "023-18152120", false},
                    BoolCase{"LocalSixDigits", "023-881521", false},
                    BoolCase{"LocalNineDigits", "023-881521201", false},
                    BoolCase{"LetterInNumber", "023-8815212a", false},
                    BoolCase{"AreaDoubleZero", "000-88152120", false},
                    BoolCase{"AreaTooLong", "07555-2345678", false},
                    BoolCase{"DoubleHyphen", "023--88152120", false},
                    BoolCase{"UnclosedParenthesis", "(023-88152120", false},
                    BoolCase{"EmptyParentheses", "()88152120", false},
                    BoolCase{"ParenthesesHyphen", "(023)-88152120", false},
                    BoolCase{"EmptyExtension", "023-88152120-", false},
                    BoolCase{"ExtensionSevenDigits", "023-88152120-1234567", false},
                    BoolCase{"SpaceBeforeZhuan", "023-88152120 转1234", false},
                    BoolCase{"LandlineWithCountryCode", "+86 023-88152120", false},
                    BoolCase{"FullwidthDigits", "１３８１２３４５６７８", false}),
    case_name);

// ---------------------------------------------------------------------------- e-mail

class EmailValidTest : public testing::TestWithParam<BoolCase> {};

TEST_P(EmailValidTest, AcceptsPragmaticAddresses) {
  EXPECT_EQ(d::email_valid(GetParam().input), GetParam().expected);
}

// local@ + domain of 63 + 1 + 63 + 1 + tail: 64 + 1 + 128 + tail characters in all.
std::string long_address(std::size_t tail_letters) {
  return repeat("a", 64) + "@" + repeat("b", 63) + "." + repeat("c", 63) + "." + repeat("d", tail_letters) +
         ".com";
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, EmailValidTest,
    testing::Values(BoolCase{"Plain", "zhangsan@example.com", true},
                    BoolCase{"Subdomains", "zhang.san+cq@mail.example.com.cn", true},
                    BoolCase{"Shortest", "a@b.cn", true},
                    BoolCase{"AllowedSymbols", "user_1%x-y@sub-domain.example.org", true},
                    BoolCase{"DigitLabels", "12345@163.com", true},
                    BoolCase{"LocalPart64", repeat("a", 64) + "@example.com", true},
                    BoolCase{"Total254", long_address(57), true},
                    BoolCase{"Total255", long_address(58), false},
                    BoolCase{"LocalPart65", repeat("a", 65) + "@example.com", false},
                    BoolCase{"Label64", "a@" + repeat("b", 64) + ".com", false},
                    BoolCase{"Empty", "", false},
                    BoolCase{"NoAt", "zhangsan.example.com", false},
                    BoolCase{"TwoAts", "zhang@san@example.com", false},
                    BoolCase{"EmptyLocal", "@example.com", false},
                    BoolCase{"EmptyDomain", "zhangsan@", false},
                    BoolCase{"LeadingDot", ".zhang@example.com", false},
                    BoolCase{"TrailingDot", "zhang.@example.com", false},
                    BoolCase{"DoubleDot", "zhang..san@example.com", false},
                    BoolCase{"SpaceInLocal", "zhang san@example.com", false},
                    BoolCase{"ChineseLocal", "张三@example.com", false},
                    BoolCase{"SingleLabel", "zhang@localhost", false},
                    BoolCase{"OneLetterTld", "zhang@example.c", false},
                    BoolCase{"NumericTld", "zhang@example.123", false},
                    BoolCase{"LabelLeadingHyphen", "zhang@-example.com", false},
                    BoolCase{"LabelTrailingHyphen", "zhang@example-.com", false},
                    BoolCase{"EmptyLabel", "zhang@example..com", false},
                    BoolCase{"DomainLeadingDot", "zhang@.example.com", false},
                    BoolCase{"DomainTrailingDot", "zhang@example.com.", false},
                    BoolCase{"UnderscoreInDomain", "zhang@exa_mple.com", false}),
    case_name);

}  // namespace

// qualify: validators for the text an application carries: UTF-8 length and width, and the
// check characters of Chinese codes (GB 32100-2015, GB 11714-1997, GB 11643-1999), phone
// numbers and e-mail addresses. Used by the extension operators and the form schema.
#pragma once

#include <algorithm>  // upper_bound
#include <cstddef>
#include <initializer_list>
#include <iterator>  // begin, end
#include <optional>
#include <string>
#include <string_view>

namespace qualify::detail {

namespace validators_impl {

/// An inclusive range of code points.
struct CodeRange {
  char32_t first;
  char32_t last;
};

// Generated from the Unicode 15.0 character database (/usr/share/unicode): general
// categories Mn and Me from UnicodeData.txt, plus the invisible format characters
// U+200B-U+200F, U+2060-U+2064 and U+FEFF, which terminals also draw in no columns.
inline constexpr CodeRange zero_width_ranges[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
    {0x06D6, 0x06DC}, {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0711, 0x0711},
    {0x0730, 0x074A}, {0x07A6, 0x07B0}, {0x07EB, 0x07F3}, {0x07FD, 0x07FD}, {0x0816, 0x0819},
    {0x081B, 0x0823}, {0x0825, 0x0827}, {0x0829, 0x082D}, {0x0859, 0x085B}, {0x0898, 0x089F},
    {0x08CA, 0x08E1}, {0x08E3, 0x0902}, {0x093A, 0x093A}, {0x093C, 0x093C}, {0x0941, 0x0948},
    {0x094D, 0x094D}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x0981, 0x0981}, {0x09BC, 0x09BC},
    {0x09C1, 0x09C4}, {0x09CD, 0x09CD}, {0x09E2, 0x09E3}, {0x09FE, 0x09FE}, {0x0A01, 0x0A02},
    {0x0A3C, 0x0A3C}, {0x0A41, 0x0A42}, {0x0A47, 0x0A48}, {0x0A4B, 0x0A4D}, {0x0A51, 0x0A51},
    {0x0A70, 0x0A71}, {0x0A75, 0x0A75}, {0x0A81, 0x0A82}, {0x0ABC, 0x0ABC}, {0x0AC1, 0x0AC5},
    {0x0AC7, 0x0AC8}, {0x0ACD, 0x0ACD}, {0x0AE2, 0x0AE3}, {0x0AFA, 0x0AFF}, {0x0B01, 0x0B01},
    {0x0B3C, 0x0B3C}, {0x0B3F, 0x0B3F}, {0x0B41, 0x0B44}, {0x0B4D, 0x0B4D}, {0x0B55, 0x0B56},
    {0x0B62, 0x0B63}, {0x0B82, 0x0B82}, {0x0BC0, 0x0BC0}, {0x0BCD, 0x0BCD}, {0x0C00, 0x0C00},
    {0x0C04, 0x0C04}, {0x0C3C, 0x0C3C}, {0x0C3E, 0x0C40}, {0x0C46, 0x0C48}, {0x0C4A, 0x0C4D},
    {0x0C55, 0x0C56}, {0x0C62, 0x0C63}, {0x0C81, 0x0C81}, {0x0CBC, 0x0CBC}, {0x0CBF, 0x0CBF},
    {0x0CC6, 0x0CC6}, {0x0CCC, 0x0CCD}, {0x0CE2, 0x0CE3}, {0x0D00, 0x0D01}, {0x0D3B, 0x0D3C},
    {0x0D41, 0x0D44}, {0x0D4D, 0x0D4D}, {0x0D62, 0x0D63}, {0x0D81, 0x0D81}, {0x0DCA, 0x0DCA},
    {0x0DD2, 0x0DD4}, {0x0DD6, 0x0DD6}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
    {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECE}, {0x0F18, 0x0F19}, {0x0F35, 0x0F35},
    {0x0F37, 0x0F37}, {0x0F39, 0x0F39}, {0x0F71, 0x0F7E}, {0x0F80, 0x0F84}, {0x0F86, 0x0F87},
    {0x0F8D, 0x0F97}, {0x0F99, 0x0FBC}, {0x0FC6, 0x0FC6}, {0x102D, 0x1030}, {0x1032, 0x1037},
    {0x1039, 0x103A}, {0x103D, 0x103E}, {0x1058, 0x1059}, {0x105E, 0x1060}, {0x1071, 0x1074},
    {0x1082, 0x1082}, {0x1085, 0x1086}, {0x108D, 0x108D}, {0x109D, 0x109D}, {0x135D, 0x135F},
    {0x1712, 0x1714}, {0x1732, 0x1733}, {0x1752, 0x1753}, {0x1772, 0x1773}, {0x17B4, 0x17B5},
    {0x17B7, 0x17BD}, {0x17C6, 0x17C6}, {0x17C9, 0x17D3}, {0x17DD, 0x17DD}, {0x180B, 0x180D},
    {0x180F, 0x180F}, {0x1885, 0x1886}, {0x18A9, 0x18A9}, {0x1920, 0x1922}, {0x1927, 0x1928},
    {0x1932, 0x1932}, {0x1939, 0x193B}, {0x1A17, 0x1A18}, {0x1A1B, 0x1A1B}, {0x1A56, 0x1A56},
    {0x1A58, 0x1A5E}, {0x1A60, 0x1A60}, {0x1A62, 0x1A62}, {0x1A65, 0x1A6C}, {0x1A73, 0x1A7C},
    {0x1A7F, 0x1A7F}, {0x1AB0, 0x1ACE}, {0x1B00, 0x1B03}, {0x1B34, 0x1B34}, {0x1B36, 0x1B3A},
    {0x1B3C, 0x1B3C}, {0x1B42, 0x1B42}, {0x1B6B, 0x1B73}, {0x1B80, 0x1B81}, {0x1BA2, 0x1BA5},
    {0x1BA8, 0x1BA9}, {0x1BAB, 0x1BAD}, {0x1BE6, 0x1BE6}, {0x1BE8, 0x1BE9}, {0x1BED, 0x1BED},
    {0x1BEF, 0x1BF1}, {0x1C2C, 0x1C33}, {0x1C36, 0x1C37}, {0x1CD0, 0x1CD2}, {0x1CD4, 0x1CE0},
    {0x1CE2, 0x1CE8}, {0x1CED, 0x1CED}, {0x1CF4, 0x1CF4}, {0x1CF8, 0x1CF9}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x2060, 0x2064}, {0x20D0, 0x20F0}, {0x2CEF, 0x2CF1}, {0x2D7F, 0x2D7F},
    {0x2DE0, 0x2DFF}, {0x302A, 0x302D}, {0x3099, 0x309A}, {0xA66F, 0xA672}, {0xA674, 0xA67D},
    {0xA69E, 0xA69F}, {0xA6F0, 0xA6F1}, {0xA802, 0xA802}, {0xA806, 0xA806}, {0xA80B, 0xA80B},
    {0xA825, 0xA826}, {0xA82C, 0xA82C}, {0xA8C4, 0xA8C5}, {0xA8E0, 0xA8F1}, {0xA8FF, 0xA8FF},
    {0xA926, 0xA92D}, {0xA947, 0xA951}, {0xA980, 0xA982}, {0xA9B3, 0xA9B3}, {0xA9B6, 0xA9B9},
    {0xA9BC, 0xA9BD}, {0xA9E5, 0xA9E5}, {0xAA29, 0xAA2E}, {0xAA31, 0xAA32}, {0xAA35, 0xAA36},
    {0xAA43, 0xAA43}, {0xAA4C, 0xAA4C}, {0xAA7C, 0xAA7C}, {0xAAB0, 0xAAB0}, {0xAAB2, 0xAAB4},
    {0xAAB7, 0xAAB8}, {0xAABE, 0xAABF}, {0xAAC1, 0xAAC1}, {0xAAEC, 0xAAED}, {0xAAF6, 0xAAF6},
    {0xABE5, 0xABE5}, {0xABE8, 0xABE8}, {0xABED, 0xABED}, {0xFB1E, 0xFB1E}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0x101FD, 0x101FD}, {0x102E0, 0x102E0}, {0x10376, 0x1037A},
    {0x10A01, 0x10A03}, {0x10A05, 0x10A06}, {0x10A0C, 0x10A0F}, {0x10A38, 0x10A3A}, {0x10A3F, 0x10A3F},
    {0x10AE5, 0x10AE6}, {0x10D24, 0x10D27}, {0x10EAB, 0x10EAC}, {0x10EFD, 0x10EFF}, {0x10F46, 0x10F50},
    {0x10F82, 0x10F85}, {0x11001, 0x11001}, {0x11038, 0x11046}, {0x11070, 0x11070}, {0x11073, 0x11074},
    {0x1107F, 0x11081}, {0x110B3, 0x110B6}, {0x110B9, 0x110BA}, {0x110C2, 0x110C2}, {0x11100, 0x11102},
    {0x11127, 0x1112B}, {0x1112D, 0x11134}, {0x11173, 0x11173}, {0x11180, 0x11181}, {0x111B6, 0x111BE},
    {0x111C9, 0x111CC}, {0x111CF, 0x111CF}, {0x1122F, 0x11231}, {0x11234, 0x11234}, {0x11236, 0x11237},
    {0x1123E, 0x1123E}, {0x11241, 0x11241}, {0x112DF, 0x112DF}, {0x112E3, 0x112EA}, {0x11300, 0x11301},
    {0x1133B, 0x1133C}, {0x11340, 0x11340}, {0x11366, 0x1136C}, {0x11370, 0x11374}, {0x11438, 0x1143F},
    {0x11442, 0x11444}, {0x11446, 0x11446}, {0x1145E, 0x1145E}, {0x114B3, 0x114B8}, {0x114BA, 0x114BA},
    {0x114BF, 0x114C0}, {0x114C2, 0x114C3}, {0x115B2, 0x115B5}, {0x115BC, 0x115BD}, {0x115BF, 0x115C0},
    {0x115DC, 0x115DD}, {0x11633, 0x1163A}, {0x1163D, 0x1163D}, {0x1163F, 0x11640}, {0x116AB, 0x116AB},
    {0x116AD, 0x116AD}, {0x116B0, 0x116B5}, {0x116B7, 0x116B7}, {0x1171D, 0x1171F}, {0x11722, 0x11725},
    {0x11727, 0x1172B}, {0x1182F, 0x11837}, {0x11839, 0x1183A}, {0x1193B, 0x1193C}, {0x1193E, 0x1193E},
    {0x11943, 0x11943}, {0x119D4, 0x119D7}, {0x119DA, 0x119DB}, {0x119E0, 0x119E0}, {0x11A01, 0x11A0A},
    {0x11A33, 0x11A38}, {0x11A3B, 0x11A3E}, {0x11A47, 0x11A47}, {0x11A51, 0x11A56}, {0x11A59, 0x11A5B},
    {0x11A8A, 0x11A96}, {0x11A98, 0x11A99}, {0x11C30, 0x11C36}, {0x11C38, 0x11C3D}, {0x11C3F, 0x11C3F},
    {0x11C92, 0x11CA7}, {0x11CAA, 0x11CB0}, {0x11CB2, 0x11CB3}, {0x11CB5, 0x11CB6}, {0x11D31, 0x11D36},
    {0x11D3A, 0x11D3A}, {0x11D3C, 0x11D3D}, {0x11D3F, 0x11D45}, {0x11D47, 0x11D47}, {0x11D90, 0x11D91},
    {0x11D95, 0x11D95}, {0x11D97, 0x11D97}, {0x11EF3, 0x11EF4}, {0x11F00, 0x11F01}, {0x11F36, 0x11F3A},
    {0x11F40, 0x11F40}, {0x11F42, 0x11F42}, {0x13440, 0x13440}, {0x13447, 0x13455}, {0x16AF0, 0x16AF4},
    {0x16B30, 0x16B36}, {0x16F4F, 0x16F4F}, {0x16F8F, 0x16F92}, {0x16FE4, 0x16FE4}, {0x1BC9D, 0x1BC9E},
    {0x1CF00, 0x1CF2D}, {0x1CF30, 0x1CF46}, {0x1D167, 0x1D169}, {0x1D17B, 0x1D182}, {0x1D185, 0x1D18B},
    {0x1D1AA, 0x1D1AD}, {0x1D242, 0x1D244}, {0x1DA00, 0x1DA36}, {0x1DA3B, 0x1DA6C}, {0x1DA75, 0x1DA75},
    {0x1DA84, 0x1DA84}, {0x1DA9B, 0x1DA9F}, {0x1DAA1, 0x1DAAF}, {0x1E000, 0x1E006}, {0x1E008, 0x1E018},
    {0x1E01B, 0x1E021}, {0x1E023, 0x1E024}, {0x1E026, 0x1E02A}, {0x1E08F, 0x1E08F}, {0x1E130, 0x1E136},
    {0x1E2AE, 0x1E2AE}, {0x1E2EC, 0x1E2EF}, {0x1E4EC, 0x1E4EF}, {0x1E8D0, 0x1E8D6}, {0x1E944, 0x1E94A},
    {0xE0100, 0xE01EF},
};

// East_Asian_Width W and F from EastAsianWidth.txt (including the unassigned code points of
// planes 2 and 3, which the file reserves as W), plus U+303F so that all of the CJK
// Symbols and Punctuation block counts 2.
inline constexpr CodeRange wide_ranges[] = {
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
    {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
    {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
    {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
    {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
    {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
    {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
    {0x2E80, 0x2E99}, {0x2E9B, 0x2EF3}, {0x2F00, 0x2FD5}, {0x2FF0, 0x2FFB}, {0x3000, 0x303F},
    {0x3041, 0x3096}, {0x3099, 0x30FF}, {0x3105, 0x312F}, {0x3131, 0x318E}, {0x3190, 0x31E3},
    {0x31F0, 0x321E}, {0x3220, 0x3247}, {0x3250, 0x4DBF}, {0x4E00, 0xA48C}, {0xA490, 0xA4C6},
    {0xA960, 0xA97C}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE52},
    {0xFE54, 0xFE66}, {0xFE68, 0xFE6B}, {0xFF01, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4},
    {0x16FF0, 0x16FF1}, {0x17000, 0x187F7}, {0x18800, 0x18CD5}, {0x18D00, 0x18D08}, {0x1AFF0, 0x1AFF3},
    {0x1AFF5, 0x1AFFB}, {0x1AFFD, 0x1AFFE}, {0x1B000, 0x1B122}, {0x1B132, 0x1B132}, {0x1B150, 0x1B152},
    {0x1B155, 0x1B155}, {0x1B164, 0x1B167}, {0x1B170, 0x1B2FB}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202}, {0x1F210, 0x1F23B}, {0x1F240, 0x1F248},
    {0x1F250, 0x1F251}, {0x1F260, 0x1F265}, {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C},
    {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4},
    {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E},
    {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F},
    {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6DC, 0x1F6DF},
    {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F7F0, 0x1F7F0}, {0x1F90C, 0x1F93A},
    {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FA7C}, {0x1FA80, 0x1FA88}, {0x1FA90, 0x1FABD},
    {0x1FABF, 0x1FAC5}, {0x1FACE, 0x1FADB}, {0x1FAE0, 0x1FAE8}, {0x1FAF0, 0x1FAF8}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

inline bool in_ranges(char32_t cp, const CodeRange* begin, const CodeRange* end) {
  const CodeRange* it =
      std::upper_bound(begin, end, cp, [](char32_t c, const CodeRange& r) { return c < r.first; });
  return it != begin && cp <= (it - 1)->last;
}

/// Decodes the well-formed UTF-8 sequence at `s[i]` (Unicode 15.0 table 3-7) into `cp` and
/// returns its length in bytes, or 0 when the bytes there are not well-formed.
inline std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len;
  // The bounds of the second byte are what exclude overlongs (C0, C1, E0 80-9F, F0 80-8F),
  // surrogates (ED A0-BF) and code points above U+10FFFF (F4 90-BF, F5-FF).
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  return len;
}

/// Columns one code point takes in a terminal: 0, 1 or 2.
inline int code_point_width(char32_t cp) {
  if (cp < 0x0300) return 1;  // nothing below the combining diacritics is wide or zero-width
  if (in_ranges(cp, std::begin(zero_width_ranges), std::end(zero_width_ranges))) return 0;
  if (in_ranges(cp, std::begin(wide_ranges), std::end(wide_ranges))) return 2;
  return 1;
}

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A loop rather than std::all_of(..., is_digit), which calls is_digit through a pointer.
inline bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

/// The value of a character in the GB 32100-2015 code table (0-9, then A-Z without I, O, S,
/// V, Z as 10-30), or -1 when the character is not in it.
inline int uscc_value(char c) {
  constexpr std::string_view table = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  auto at = table.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

/// Whether year `y`, month `m`, day `d` is a day of the Gregorian calendar.
inline bool real_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

inline int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

/// Whether `s` is a mainland mobile number: 11 digits, 1 then 3-9.
inline bool mobile_number(std::string_view s) {
  return s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s);
}

/// Whether `s` is a trunk prefix and area code: 0, then 2 or 3 digits not starting with 0.
inline bool area_code(std::string_view s) {
  // "00" opens an international number, never an area code.
  return (s.size() == 3 || s.size() == 4) && s[0] == '0' && s[1] != '0' && all_digits(s);
}

/// Whether `s` is a local number (7 or 8 digits, not starting with 0 or 1), optionally
/// followed by an extension of 1-6 digits after '-' or "转".
inline bool local_number_and_extension(std::string_view s) {
  constexpr std::string_view zhuan = "\xE8\xBD\xAC";  // 转
  for (std::size_t len : {std::size_t{7}, std::size_t{8}}) {
    if (s.size() < len) continue;
    std::string_view number = s.substr(0, len), tail = s.substr(len);
    if (number[0] == '0' || number[0] == '1' || !all_digits(number)) continue;
    if (tail.empty()) return true;
    std::string_view ext;
    if (tail[0] == '-') {
      ext = tail.substr(1);
    } else if (tail.substr(0, zhuan.size()) == zhuan) {
      ext = tail.substr(zhuan.size());
    } else {
      continue;
    }
    if (!ext.empty() && ext.size() <= 6 && all_digits(ext)) return true;
  }
  return false;
}

inline bool landline_number(std::string_view s) {
  if (!s.empty() && s[0] == '(') {
    auto close = s.find(')');
    if (close == std::string_view::npos || !area_code(s.substr(1, close - 1))) return false;
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    return local_number_and_extension(rest);
  }
  // Without a separator "02388152120" reads as 023 + 8 digits or 0238 + 7: try both.
  for (std::size_t len : {std::size_t{3}, std::size_t{4}}) {
    if (s.size() < len || !area_code(s.substr(0, len))) continue;
    std::string_view rest = s.substr(len);
    if (!rest.empty() && (rest[0] == '-' || rest[0] == ' ')) rest.remove_prefix(1);
    if (local_number_and_extension(rest)) return true;
  }
  return false;
}

inline bool email_local_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' ||
         c == '%' || c == '+' || c == '-';
}

inline bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

inline bool domain_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) { return is_letter(c) || is_digit(c) || c == '-'; });
}

}  // namespace validators_impl

/// The offset of the first byte of `s` that is not part of well-formed UTF-8, or `s.size()`.
inline std::size_t utf8_error_offset(std::string_view s) {
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = validators_impl::decode(s, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return s.size();
}

/// True when `s` is well-formed UTF-8: no overlong forms, no surrogates (U+D800-U+DFFF), no
/// code points above U+10FFFF, no truncated or stray continuation bytes. The empty string is valid.
inline bool utf8_valid(std::string_view s) { return utf8_error_offset(s) == s.size(); }

/// `s` with each byte that is not part of well-formed UTF-8 replaced by U+FFFD, for quoting
/// untrusted text in a message that must itself be valid UTF-8.
inline std::string utf8_scrub(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t bad; (bad = utf8_error_offset(s)) < s.size(); s.remove_prefix(bad + 1)) {
    out.append(s.substr(0, bad));
    out += "\xEF\xBF\xBD";
  }
  out.append(s);
  return out;
}

/// The number of Unicode code points in `s` ("800字以内" counts these), or nullopt when `s`
/// is not valid UTF-8 as `utf8_valid` defines it. Never a byte count.
inline std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t count = 0;
  char32_t cp;
  for (std::size_t i = 0; i < s.size(); ++count) {
    std::size_t n = validators_impl::decode(s, i, cp);
    if (n == 0) return std::nullopt;
    i += n;
  }
  return count;
}

/// The columns `s` takes in a terminal with a monospace CJK-capable font: 2 for each East
/// Asian Wide or Fullwidth code point (CJK ideographs, kana, Hangul syllables, CJK punctuation
/// U+3000-U+303F, fullwidth forms U+FF01-U+FF60 and U+FFE0-U+FFE6, emoji), 0 for combining
/// marks and zero-width format characters, 1 for anything else, and 1 for each byte that is
/// not part of well-formed UTF-8. Emoji sequences joined by U+200D are not shaped as one.
inline std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = validators_impl::decode(s, i, cp);
    if (n == 0) {
      width += 1;
      i += 1;
    } else {
      width += static_cast<std::size_t>(validators_impl::code_point_width(cp));
      i += n;
    }
  }
  return width;
}

/// The check character (position 18) of a 统一社会信用代码 whose first 17 characters are
/// `first17`, per GB 32100-2015: (31 - sum(w_i * c_i) mod 31) mod 31 looked up in the code
/// table. Returns '\0' unless `first17` is exactly 17 characters of the code table
/// (0-9 and uppercase A-Z without I, O, S, V, Z).
inline char uscc_check_char(std::string_view first17) {
  constexpr int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  constexpr std::string_view table = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    int v = validators_impl::uscc_value(first17[i]);
    if (v < 0) return '\0';
    sum += weights[i] * v;
  }
  return table[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

/// True when `s` is a 统一社会信用代码 (GB 32100-2015): exactly 18 characters of the code
/// table (0-9 and uppercase A-Z without I, O, S, V, Z) whose last is the check character of
/// the first 17. The registration authority, category and division codes are not looked up.
inline bool uscc_valid(std::string_view s) {
  return s.size() == 18 && uscc_check_char(s.substr(0, 17)) == s[17];
}

/// The check character of a GB 11714-1997 organisation code whose 8-character body is
/// `first8`: 11 - sum(w_i * c_i) mod 11 with weights 3,7,9,10,5,8,4,2, digits worth 0-9 and
/// uppercase letters 10-35; 10 is written 'X' and 11 '0'. Returns '\0' unless `first8` is
/// exactly 8 digits or uppercase letters.
inline char org_code_check_char(std::string_view first8) {
  constexpr int weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  if (first8.size() != 8) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    char c = first8[i];
    int v;
    if (validators_impl::is_digit(c)) {
      v = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      v = c - 'A' + 10;
    } else {
      return '\0';
    }
    sum += weights[i] * v;
  }
  int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

/// True when `uscc` is a valid 统一社会信用代码 whose positions 9-17 are a valid GB 11714-1997
/// organisation code (8 body characters and their check character); false for an invalid
/// USCC. A failure deserves a warning, not a rejection: a few legally issued codes fail it.
inline bool uscc_org_code_valid(std::string_view uscc) {
  return uscc_valid(uscc) && org_code_check_char(uscc.substr(8, 8)) == uscc[16];
}

/// The check character of a 居民身份证号 whose first 17 characters are `first17`, per
/// GB 11643-1999 (ISO 7064 MOD 11-2): one of "0123456789X". Returns '\0' unless `first17` is
/// exactly 17 digits.
inline char cn_id_check_char(std::string_view first17) {
  constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  constexpr std::string_view table = "10X98765432";
  if (first17.size() != 17 || !validators_impl::all_digits(first17)) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += weights[i] * (first17[i] - '0');
  return table[static_cast<std::size_t>(sum % 11)];
}

/// True when `s` is an 18-character 居民身份证号 (GB 11643-1999): a 6-digit region code whose
/// first digit is 1-8, a birth date YYYYMMDD that exists in the Gregorian calendar with year
/// 1900 or later, a 3-digit sequence number, and the check character (uppercase 'X' only).
/// Whether the region exists or the date lies in the future is not checked.
inline bool cn_id_valid(std::string_view s) {
  namespace v = validators_impl;
  if (s.size() != 18 || s[0] < '1' || s[0] > '8') return false;
  if (cn_id_check_char(s.substr(0, 17)) != s[17]) return false;  // also checks the 17 digits
  int year = v::digits_value(s.substr(6, 4));
  return year >= 1900 &&
         v::real_date(year, v::digits_value(s.substr(10, 2)), v::digits_value(s.substr(12, 2)));
}

/// True when `s` is a mainland Chinese phone number written one of these ways:
/// a mobile number (1, then 3-9, then 9 digits) optionally after "+86", "+86 " or "86"; or a
/// landline: area code (0 and 2-3 digits, e.g. 010, 023, 0755), optionally followed by '-' or
/// a space or written in parentheses "(023)", then a 7-8 digit local number not starting with
/// 0 or 1, then optionally an extension of 1-6 digits after '-' or "转". Nothing else: no
/// letters, no inner spaces in mobile numbers, no local number without its area code.
inline bool phone_valid(std::string_view s) {
  namespace v = validators_impl;
  if (v::mobile_number(s)) return true;  // the usual case first
  for (std::string_view prefix : {"+86 ", "+86", "86"}) {
    if (s.substr(0, prefix.size()) == prefix && v::mobile_number(s.substr(prefix.size()))) return true;
  }
  return v::landline_number(s);
}

/// True when `s` looks like a deliverable e-mail address (a pragmatic subset of RFC 5321):
/// at most 254 characters with exactly one '@'; a local part of 1-64 characters from
/// A-Z a-z 0-9 . _ % + - that neither starts nor ends with '.' nor contains ".."; a domain of
/// at least two dot-separated labels of 1-63 characters from A-Z a-z 0-9 -, none starting or
/// ending with '-', the last of them 2 or more letters. No quoted local parts, IP literals
/// or internationalised (non-ASCII) addresses.
inline bool email_valid(std::string_view s) {
  namespace v = validators_impl;
  if (s.size() > 254) return false;
  auto at = s.find('@');
  if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos ||
      !std::all_of(local.begin(), local.end(), v::email_local_char))
    return false;
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t start = 0;;) {
    auto dot = domain.find('.', start);
    last = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!v::domain_label(last)) return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2 && last.size() >= 2 && std::all_of(last.begin(), last.end(), v::is_letter);
}

}  // namespace qualify::detail

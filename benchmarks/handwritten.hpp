// The 27 benchmark rules written by hand in C++: the reference qualify's engine is measured
// against (cel-cpp's BM_PolicyNative beside BM_PolicySymbolic). It reads the same parsed
// form as the engine (a Document's Value), so the two differ only in how rules are run.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "qualify/detail/value.hpp"

namespace qualify::bench {

/// The rule ids, in the order of benchmarks/peer-pack/eligibility.json.
inline constexpr std::array<std::string_view, 27> kHandwrittenRuleIds = {
    "scope.occupation",
    "scope.levels",
    "conditions.training_qualification",
    "conditions.financial_and_management_system",
    "conditions.no_dishonesty",
    "form.tax_three_years",
    "conditions.established_before",
    "conditions.annual_scale",
    "form.training_five_years",
    "form.training_split",
    "form.faculty_sum",
    "conditions.full_time_faculty",
    "form.teachers_listed",
    "form.teachers_full_time_count",
    "form.teacher_kind",
    "conditions.facilities",
    "form.facility_values",
    "conditions.platform_url",
    "conditions.online_capable",
    "materials.form",
    "materials.license_copy",
    "materials.credit",
    "dates.deadline",
    "form.organization_stamped",
    "form.organization_type",
    "form.commitment",
    "form.recommendation",
};

/// The 27 verdicts for one application: bit i is set when rule kHandwrittenRuleIds[i]
/// passes. Typed checks as a programmer would write them (a missing or mistyped field
/// fails); on the generator's applications they agree with JsonLogic, which the benchmark
/// checks before it times anything.
std::uint32_t handwritten_check(const detail::Value& application) noexcept;

}  // namespace qualify::bench

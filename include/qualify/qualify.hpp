// qualify: a rules engine for public programme applications. This header includes all of
// the public API; see README.md for a tour.
#pragma once

#include "qualify/version.hpp"
#include "qualify/fwd.hpp"
#include "qualify/error.hpp"
#include "qualify/limits.hpp"
#include "qualify/calendar.hpp"
#include "qualify/catalogue.hpp"
#include "qualify/document.hpp"
#include "qualify/expression.hpp"
#include "qualify/schema.hpp"
#include "qualify/decision.hpp"
#include "qualify/select.hpp"
#include "qualify/pack.hpp"

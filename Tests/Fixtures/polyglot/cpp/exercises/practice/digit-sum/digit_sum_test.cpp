#include "digit_sum.h"
#ifdef EXERCISM_TEST_SUITE
#include <catch2/catch.hpp>
#else
#include "test/catch.hpp"
#endif

TEST_CASE("zero") { REQUIRE(digit_sum::of(0) == 0); }

#if defined(EXERCISM_RUN_ALL_TESTS)
TEST_CASE("many_digits") { REQUIRE(digit_sum::of(90817) == 25); }
#endif

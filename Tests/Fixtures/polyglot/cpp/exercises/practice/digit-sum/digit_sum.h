#pragma once

namespace digit_sum {
int of(int n);
}

#include "digit_sum.h"

namespace digit_sum {
int of(int n) {
    int sum = 0;
    for (; n > 0; n /= 10) sum += n % 10;
    return sum;
}
}

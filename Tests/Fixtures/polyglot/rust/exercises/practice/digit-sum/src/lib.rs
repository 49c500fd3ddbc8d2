pub fn digit_sum(n: u64) -> u64 {
    todo!("the digit sum of {n}")
}

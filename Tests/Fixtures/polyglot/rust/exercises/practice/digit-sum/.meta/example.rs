pub fn digit_sum(n: u64) -> u64 {
    n.to_string().bytes().map(|b| u64::from(b - b'0')).sum()
}

func digitSum(_ n: Int) -> Int {
    // Write your code for the 'Digit Sum' exercise in this file.
    0
}

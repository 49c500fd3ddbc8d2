package digitsum

func DigitSum(n int) int {
	panic("Please implement DigitSum")
}

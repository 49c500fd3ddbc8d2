package digitsum

import "testing"

func TestDigitSum(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := DigitSum(tc.input); got != tc.want {
				t.Fatalf("DigitSum(%d) = %d, want %d", tc.input, got, tc.want)
			}
		})
	}
}

package digitsum

var cases = []struct {
	name  string
	input int
	want  int
}{
	{"zero", 0, 0},
	{"many digits", 90817, 25},
}

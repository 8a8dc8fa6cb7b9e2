package policy

import (
	"testing"

	"github.com/collsim/collsim/sim/calendar"
)

func TestTimelineAt(t *testing.T) {
	d := calendar.MustParseDate
	tl := Timeline{
		{Name: "halt", Start: d("1930-03-02"), Halt: true},
		{Name: "voluntary", Start: d("1929-06-01")},
		{Name: "targets", Start: d("1929-11-07")},
	}.Sorted()
	tests := []struct {
		date string
		want string
	}{
		{"1929-06-01", "voluntary"},
		{"1929-11-06", "voluntary"},
		{"1929-11-07", "targets"},
		{"1930-03-01", "targets"},
		{"1930-03-02", "halt"},
		{"1931-01-01", "halt"},
	}
	for _, tt := range tests {
		i := tl.At(d(tt.date))
		if i < 0 || tl[i].Name != tt.want {
			t.Errorf("At(%s) = %d, want %s", tt.date, i, tt.want)
		}
	}
	if i := tl.At(d("1929-01-01")); i != -1 {
		t.Errorf("At before the first phase = %d, want -1", i)
	}
	if i := tl.HaltIndex(); tl[i].Name != "halt" {
		t.Errorf("HaltIndex = %d", i)
	}
}

func TestDeadlineFor(t *testing.T) {
	d := calendar.MustParseDate
	p := Phase{Deadline: d("1932-04-01"), Deadlines: map[string]calendar.Date{"North Caucasus": d("1931-04-01")}}
	if got := p.DeadlineFor("North Caucasus"); got != d("1931-04-01") {
		t.Errorf("override: %s", got)
	}
	if got := p.DeadlineFor("Moscow"); got != d("1932-04-01") {
		t.Errorf("default: %s", got)
	}
}

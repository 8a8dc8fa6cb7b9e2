package calendar

import (
	"testing"
	"time"
)

func TestStepsOfTheHistoricalRun(t *testing.T) {
	steps := Steps(MustParseDate("1929-06-01"), MustParseDate("1931-01-01"))
	if got := steps[39].String(); got != "1930-03-01" {
		t.Errorf("step 39 = %s, want 1930-03-01 (the last census before the halt)", got)
	}
	if got, want := len(steps), 83; got != want {
		t.Errorf("%d steps, want %d", got, want)
	}
	if last := steps[len(steps)-1]; last.After(MustParseDate("1931-01-01")) {
		t.Errorf("last step %s after the end", last)
	}
}

func TestSeasons(t *testing.T) {
	y := Year{
		Sowing:  Window{DayOfYear{time.April, 15}, 6},
		Harvest: Window{DayOfYear{time.July, 15}, 8},
	}
	tests := []struct {
		date string
		want Season
	}{
		{"1930-01-10", Growing},
		{"1930-04-14", Growing},
		{"1930-04-15", Sowing},
		{"1930-05-26", Sowing},
		{"1930-05-27", Growing},
		{"1930-07-15", Harvest},
		{"1930-09-08", Harvest},
		{"1930-09-09", Growing},
	}
	for _, tt := range tests {
		if got := y.SeasonOf(MustParseDate(tt.date)); got != tt.want {
			t.Errorf("SeasonOf(%s) = %d, want %d", tt.date, got, tt.want)
		}
	}
}

func TestDateTOML(t *testing.T) {
	var d Date
	if err := d.UnmarshalTOML("1930-03-02"); err != nil || d.String() != "1930-03-02" {
		t.Errorf("string: %v %v", d, err)
	}
	if err := d.UnmarshalTOML(time.Date(1930, 3, 14, 0, 0, 0, 0, time.UTC)); err != nil || d.String() != "1930-03-14" {
		t.Errorf("local date: %v %v", d, err)
	}
	for _, bad := range []any{"1930-13-01", "2 March", int64(5), time.Date(1930, 3, 14, 5, 0, 0, 0, time.UTC)} {
		if err := d.UnmarshalTOML(bad); err == nil {
			t.Errorf("UnmarshalTOML(%v) accepted", bad)
		}
	}
}

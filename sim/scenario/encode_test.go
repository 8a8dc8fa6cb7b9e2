package scenario

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/collsim/collsim/internal/strict"
)

func TestEncodeRoundTrip(t *testing.T) {
	tests := []struct {
		path string
		set  []string
	}{
		{"testdata/valid.toml", nil},
		{"testdata/child.toml", nil},
		{"testdata/valid.toml", []string{`description="tab\there \"quoted\" \u00e9 \u0001"`, `regions.0.name="Nizhny \\ Volga"`, "urban_arrival=", "seed=9223372036854775807", "household.fear_gain=1e-7"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			s, err := Load(tt.path, tt.set...)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := s.EncodeTOML(&buf); err != nil {
				t.Fatal(err)
			}
			s2, err := Parse("encoded.toml", buf.Bytes())
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.Bytes())
			}
			if !reflect.DeepEqual(s, s2) {
				t.Errorf("round trip changed the scenario:\n%+v\n%+v\n%s", s, s2, buf.Bytes())
			}
		})
	}
}

func TestEncodeHasEveryParameter(t *testing.T) {
	s, err := Load("testdata/valid.toml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.EncodeTOML(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strict.Lines(buf.Bytes())
	for _, p := range Parameters() {
		key := p.Key
		switch key[:min(len(key), 7)] {
		case "regions":
			key = "regions[1]" + key[len("regions[]"):]
		case "phases[":
			key = "phases[1]" + key[len("phases[]"):]
		}
		if _, ok := lines[key]; !ok {
			t.Errorf("%s is missing from the encoded scenario", key)
		}
	}
}

package chart

import (
	"bytes"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/collsim/collsim/sim/calendar"
)

func TestFigureFormats(t *testing.T) {
	dates := calendar.Steps(calendar.MustParseDate("1929-06-01"), calendar.MustParseDate("1929-09-01"))
	v := make([]float64, len(dates))
	for i := range v {
		v[i] = float64(i)
	}
	p := TimePlot("t", "y", dates, []Series{{Name: "a", Values: v}}, []Band{{Lo: v, Hi: v, Color: Palette[0]}})
	f := &Figure{Plots: []*plot.Plot{p, p}, Width: 300, Height: 300}
	var png1, png2, svg bytes.Buffer
	if err := f.Write(&png1, "png"); err != nil {
		t.Fatal(err)
	}
	f.Write(&png2, "png")
	if !bytes.HasPrefix(png1.Bytes(), []byte("\x89PNG")) || !bytes.Equal(png1.Bytes(), png2.Bytes()) {
		t.Error("PNG is not a PNG, or not the same twice")
	}
	if err := f.Write(&svg, "svg"); err != nil || !strings.Contains(svg.String(), "<svg") {
		t.Errorf("SVG: %v", err)
	}
	if err := f.Write(&svg, "gif"); err == nil {
		t.Error("an unknown format was accepted")
	}
}

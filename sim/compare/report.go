package compare

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/collsim/collsim/sim/chart"
)

// Info is what a report says about how it was made.
type Info struct {
	Title      string // "" for one made of the arms' names
	Command    string // the command line that made it, if any
	Version    string // the program version
	Households int    // households simulated per run
	// Posterior is the particles.csv the runs' parameter sets were drawn
	// from (Comparison.Posterior), and PosteriorHash its SHA-256, for
	// provenance; "" if none.
	Posterior, PosteriorHash string
}

//go:embed report.html
var reportHTML string

var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

// reportData is what report.html shows.
type reportData struct {
	Title, Paragraph string
	Info
	Arms       []armView
	Rows       []Row
	Figures    []svgFigure
	Replicates string
	Seeds      string
	Scale      string
	Intervals  string // what the numbers in brackets are
	Bands      string // what the charts' lines and bands are
	Drawn      string // where the parameter sets came from, if from a posterior
}

// armView is an arm with the colour of its lines.
type armView struct {
	Arm
	Colour string // CSS hex colour
}

type svgFigure struct {
	Figure
	SVG template.HTML
}

// title returns the report's title.
func (c *Comparison) title(info Info) string {
	if info.Title != "" {
		return info.Title
	}
	names := make([]string, len(c.Arms))
	for i, a := range c.Arms {
		names[i] = a.Name
	}
	return "What if? " + strings.Join(names, " vs ")
}

func (c *Comparison) data(info Info) reportData {
	d := reportData{Title: c.title(info), Paragraph: c.Paragraph(), Info: info, Rows: c.Table()}
	for i, a := range c.Arms {
		r, g, b, _ := chart.Palette[i%len(chart.Palette)].RGBA()
		d.Arms = append(d.Arms, armView{a, fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)})
	}
	n := len(c.Arms[0].Runs)
	d.Replicates = strconv.Itoa(n) + " run"
	if n != 1 {
		d.Replicates += "s"
	}
	seeds := c.Arms[0].Seeds()
	d.Seeds = strconv.FormatInt(seeds[0], 10)
	if len(seeds) > 1 {
		d.Seeds += "–" + strconv.FormatInt(seeds[len(seeds)-1], 10)
	}
	sum := c.Arms[0].Runs[0].Summary
	d.Scale = fmt.Sprintf("%s households simulated per run, standing for %s", Thousands(int64(sum.HouseholdsSimulated)), Thousands(sum.HouseholdsReal))
	d.Intervals = fmt.Sprintf("Means over %s of each scenario (seeds %s, the same for every scenario); with each mean, its 95%% interval (Student's t); for the date of the peak, the median run and the range.", d.Replicates, d.Seeds)
	d.Bands = "Lines are the means over the runs; shaded bands, where there are two runs or more, the 95% interval of the mean."
	if c.Posterior > 0 {
		sets := fmt.Sprintf("95%% posterior band over %d parameter sets", c.Posterior)
		d.Intervals = fmt.Sprintf("Means over %s of each scenario: run i with seed S+i (seeds %s) and parameter set i drawn from the calibration's posterior, the same for every scenario. With each mean, the %s: the 2.5th to 97.5th percentile of the runs, where the outcome may lie given what the calibration leaves uncertain and chance (not the interval of the mean); for the date of the peak, the median run and the band.", d.Replicates, d.Seeds, sets)
		d.Bands = "Lines are the means over the runs; shaded bands, the " + sets + " (2.5th to 97.5th percentile of the runs)."
		d.Drawn = fmt.Sprintf("Parameter sets drawn by weight, with seed %d, from the final generation of %s", seeds[0], info.Posterior)
		if info.PosteriorHash != "" {
			d.Drawn += " (SHA-256 " + info.PosteriorHash + ")"
		}
		d.Drawn += "."
	}
	return d
}

// WriteHTML writes the report as one self-contained HTML page: the charts
// are inline SVG, the style is inline, there is no script and nothing is
// loaded from elsewhere.
func (c *Comparison) WriteHTML(w io.Writer, info Info) error {
	d := c.data(info)
	for _, f := range c.Figures() {
		svg, err := InlineSVG(f.Figure)
		if err != nil {
			return err
		}
		d.Figures = append(d.Figures, svgFigure{Figure: f, SVG: template.HTML(svg)})
	}
	return reportTemplate.Execute(w, d)
}

// InlineSVG draws a figure as an <svg> element to put inside an HTML page
// (without the XML prolog of an SVG file). The text in it is escaped by the
// SVG writer.
func InlineSVG(f interface{ Write(io.Writer, string) error }) (string, error) {
	var b bytes.Buffer
	if err := f.Write(&b, "svg"); err != nil {
		return "", err
	}
	s := b.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("compare: the chart writer gave no <svg> element")
	}
	return strings.TrimSpace(s[i:]), nil
}

// WriteMarkdown writes the report as Markdown. images maps a figure's Name
// to the path of its PNG, relative to the Markdown file; figures without one
// are left out.
func (c *Comparison) WriteMarkdown(w io.Writer, info Info, images map[string]string) error {
	d := c.data(info)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n## Key outcomes\n\n", mdEscape(d.Title), mdEscape(d.Paragraph))
	b.WriteString("| outcome |")
	for _, a := range c.Arms {
		b.WriteString(" " + mdEscape(a.Name) + " |")
	}
	b.WriteString("\n|---|")
	for range c.Arms {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, r := range d.Rows {
		b.WriteString("| " + mdEscape(r.Metric.Label) + " |")
		for _, cell := range r.Cells {
			s := cell.Text
			if cell.Interval != "" {
				s += " " + cell.Interval
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n%s %s. Counts are at real-world scale.\n\n", d.Intervals, d.Scale)
	b.WriteString("## Scenarios\n\n")
	for _, a := range c.Arms {
		fmt.Fprintf(&b, "- **%s**: %s\n", mdEscape(a.Name), mdEscape(a.Description))
	}
	for _, f := range c.Figures() {
		if p, ok := images[f.Name]; ok {
			fmt.Fprintf(&b, "\n## %s\n\n![%s](%s)\n\n%s %s\n", f.Title, f.Title, p, f.Caption, d.Bands)
		}
	}
	fmt.Fprintf(&b, "\n---\nWritten by collsim %s.", d.Version)
	if d.Drawn != "" {
		b.WriteString(" " + mdEscape(d.Drawn))
	}
	if d.Command != "" {
		fmt.Fprintf(&b, " Command: `%s`", strings.ReplaceAll(d.Command, "`", "'"))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape escapes the characters that would break a Markdown table or
// start markup.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "\n", " ")
	return r.Replace(s)
}

// Package htmlcheck checks, for tests, that an HTML document is well formed
// and self-contained: every element closed in order (void elements and
// self-closed SVG elements aside), one html, head and body, and nothing
// loaded from another host.
package htmlcheck

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// void are the HTML elements that have no end tag.
var void = []string{"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

// Check reads an HTML document and returns an error for the first element
// left open, closed out of order or closed without being opened, for a
// document without exactly one html, head and body, and for a reference to
// another host (an http:, https: or protocol-relative src, href or action,
// or a CSS url() or @import); XML namespace declarations are not references.
func Check(r io.Reader) error {
	z := html.NewTokenizer(r)
	var open []string
	count := map[string]int{}
	line := 1
	for {
		tt := z.Next()
		raw := string(z.Raw())
		at := func(format string, a ...any) error {
			return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, a...))
		}
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				if len(open) > 0 {
					return at("unclosed <%s> at the end", strings.Join(open, "> <"))
				}
				for _, e := range []string{"html", "head", "body"} {
					if count[e] != 1 {
						return fmt.Errorf("%d <%s> elements, want 1", count[e], e)
					}
				}
				return nil
			}
			return at("%v", z.Err())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			count[tag]++
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if err := checkRef(string(k), string(v)); err != nil {
					return at("<%s>: %v", tag, err)
				}
			}
			if tt == html.StartTagToken && !slices.Contains(void, tag) {
				open = append(open, tag)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if len(open) == 0 || open[len(open)-1] != tag {
				return at("</%s> closes %s", tag, top(open))
			}
			open = open[:len(open)-1]
		case html.TextToken:
			if len(open) > 0 && open[len(open)-1] == "style" {
				if err := checkCSS(raw); err != nil {
					return at("<style>: %v", err)
				}
			}
		}
		line += strings.Count(raw, "\n")
	}
}

func top(open []string) string {
	if len(open) == 0 {
		return "nothing"
	}
	return "<" + open[len(open)-1] + ">"
}

// checkRef returns an error if an attribute loads something from another host.
func checkRef(key, val string) error {
	v := strings.ToLower(strings.TrimSpace(val))
	switch key {
	case "src", "href", "action", "xlink:href", "srcset", "poster", "data":
		if strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//") {
			return fmt.Errorf("%s=%q loads from another host", key, val)
		}
	case "style":
		return checkCSS(v)
	}
	return nil
}

// checkCSS returns an error if a style sheet loads something.
func checkCSS(css string) error {
	c := strings.ToLower(css)
	for _, s := range []string{"url(", "@import"} {
		if strings.Contains(c, s) {
			return fmt.Errorf("the style loads something (%s)", s)
		}
	}
	return nil
}

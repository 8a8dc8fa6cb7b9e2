package htmlcheck

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	const ok = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title><style>p { color: red }</style></head>
<body><p>a<br>b</p><svg xmlns="http://www.w3.org/2000/svg"><path d="M0,0" /></svg><img src="/static/x.png"></body></html>`
	tests := []struct {
		name, doc, want string // want: "" for no error, else a part of the message
	}{
		{"ok", ok, ""},
		{"unclosed", strings.Replace(ok, "</p>", "", 1), "</body> closes <p>"},
		{"stray end", strings.Replace(ok, "</title>", "</title></div>", 1), "</div> closes <head>"},
		{"crossed", strings.Replace(ok, "<p>a", "<p><b>a</p></b>", 1), "</p> closes <b>"},
		{"open at end", strings.TrimSuffix(ok, "</html>"), "unclosed <html>"},
		{"two bodies", strings.Replace(ok, "</body>", "</body><body></body>", 1), "2 <body>"},
		{"remote script", strings.Replace(ok, "</body>", `<script src="https://cdn.example/x.js"></script></body>`, 1), "another host"},
		{"protocol-relative", strings.Replace(ok, "/static/x.png", "//cdn.example/x.png", 1), "another host"},
		{"css import", strings.Replace(ok, "p { color: red }", "@import 'x.css';", 1), "@import"},
		{"css url", strings.Replace(ok, "<p>a", `<p style="background: url(x.png)">a`, 1), "url("},
	}
	for _, tt := range tests {
		err := Check(strings.NewReader(tt.doc))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

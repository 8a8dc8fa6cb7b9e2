package web

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSlowClients (issue 12, defect 4): slow clients, more of them than the
// server keeps connections, neither hold a connection past the read timeout
// nor keep the server from answering others; open connections never exceed
// the cap.
func TestSlowClients(t *testing.T) {
	srv, err := New(Config{Scenarios: "../../scenarios", Households: 1000, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	lim := ServerLimits{ReadHeader: 500 * time.Millisecond, Read: time.Second, Write: 5 * time.Second, Idle: time.Second, MaxConns: 16}
	hs := HTTPServer(srv, lim)
	var open, most atomic.Int64
	hs.ConnState = func(c net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			n := open.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(LimitListener(ln, lim.MaxConns))
	defer hs.Close()
	addr := ln.Addr().String()

	// 40 slow clients: half send headers and then a body a byte a quarter
	// second, half send nothing at all.
	const slow = 40
	closedAfter := make(chan time.Duration, slow)
	var wg sync.WaitGroup
	for i := range slow {
		wg.Go(func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			began := time.Now()
			if i%2 == 0 {
				fmt.Fprintf(c, "POST /api/runs HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n", addr)
				for time.Since(began) < 8*time.Second {
					if _, err := c.Write([]byte("a")); err != nil {
						break
					}
					time.Sleep(250 * time.Millisecond)
				}
			}
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			io.Copy(io.Discard, bufio.NewReader(c))
			closedAfter <- time.Since(began)
		})
	}
	time.Sleep(200 * time.Millisecond)
	client := &http.Client{Timeout: 10 * time.Second}
	for k := range 5 {
		began := time.Now()
		resp, err := client.Get("http://" + addr + "/api/scenarios")
		if err != nil {
			t.Fatalf("request %d under %d slow clients: %v", k, slow, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("request %d: %d", k, resp.StatusCode)
		}
		t.Logf("request %d answered in %s under %d slow clients", k, time.Since(began).Round(time.Millisecond), slow)
		if time.Since(began) > 5*time.Second {
			t.Errorf("request %d took %s", k, time.Since(began))
		}
	}
	wg.Wait()
	close(closedAfter)
	for d := range closedAfter {
		if d > 6*time.Second {
			t.Errorf("a slow client kept its connection for %s (read timeout %s)", d.Round(time.Millisecond), lim.Read)
			break
		}
	}
	// The hook sees a closed connection's StateClosed just after its slot
	// is free, so it may count one more than are open.
	if m := most.Load(); m > int64(lim.MaxConns)+1 {
		t.Errorf("%d connections open at once; the cap is %d", m, lim.MaxConns)
	}
}

// TestCrossSite (issue 12, defect 12): the page's answers forbid framing and
// foreign scripts; a state-changing request from another site is refused,
// and so is a request under a host name the server does not know (DNS
// rebinding), unless it was started with that name.
func TestCrossSite(t *testing.T) {
	hs := newServer(t, Config{Hosts: []string{"teacher.local"}})
	do := func(method, path, host, origin, site string) *http.Response {
		t.Helper()
		var body io.Reader
		req, _ := http.NewRequest(method, hs.URL+path, body)
		if method == "POST" {
			req, _ = http.NewRequest(method, hs.URL+path, strings.NewReader(url.Values{"scenario": {"historical-1929.toml"}, "households": {"1000"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if site != "" {
			req.Header.Set("Sec-Fetch-Site", site)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	resp := do("GET", "/", "", "", "")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy: %q", csp)
	}
	if xfo := resp.Header.Get("X-Frame-Options"); xfo != "DENY" {
		t.Errorf("X-Frame-Options: %q", xfo)
	}
	self := hs.URL
	for _, tt := range []struct {
		method, host, origin, site string
		code                       int
	}{
		{"POST", "", "https://evil.example", "cross-site", 403},
		{"POST", "", "https://evil.example", "", 403},
		{"POST", "", self, "same-origin", 0},
		{"POST", "", "", "", 0}, // curl, a script: no Origin
		{"GET", "evil.example", "", "", 421},
		{"GET", "evil.example:" + strings.Split(self, ":")[2], "", "", 421},
		{"POST", "evil.example", "http://evil.example", "same-origin", 421},
		{"GET", "localhost:8080", "", "", 200},
		{"GET", "192.168.1.10:8080", "", "", 200},
		{"GET", "[::1]:8080", "", "", 200},
		{"GET", "teacher.local:8080", "", "", 200},
	} {
		path := "/api/scenarios"
		if tt.method == "POST" {
			path = "/api/runs"
		}
		resp := do(tt.method, path, tt.host, tt.origin, tt.site)
		if tt.code == 0 {
			if resp.StatusCode >= 400 {
				t.Errorf("%s host %q origin %q: refused with %d", tt.method, tt.host, tt.origin, resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != tt.code {
			t.Errorf("%s host %q origin %q site %q: %d, want %d", tt.method, tt.host, tt.origin, tt.site, resp.StatusCode, tt.code)
		}
	}
}

// TestWrongMethod (issue 12, defect 13): a method an endpoint does not take
// gets 405 with the methods it does take, not 404.
func TestWrongMethod(t *testing.T) {
	hs := newServer(t, Config{})
	id := strings.Repeat("ab", 16)
	for _, tt := range []struct{ method, path, allow string }{
		{"DELETE", "/api/runs/" + id, "GET"},
		{"GET", "/api/runs", "POST"},
		{"PUT", "/api/scenarios", "GET"},
		{"GET", "/api/runs/" + id + "/cancel", "POST"},
	} {
		req, _ := http.NewRequest(tt.method, hs.URL+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		code, _, e := decode(t, resp)
		if code != http.StatusMethodNotAllowed || !strings.Contains(resp.Header.Get("Allow"), tt.allow) || e.Error == "" {
			t.Errorf("%s %s: %d Allow %q %+v; want 405 allowing %s", tt.method, tt.path, code, resp.Header.Get("Allow"), e, tt.allow)
		}
	}
	if code, _, _ := get(t, hs.URL+"/api/nothing"); code != http.StatusNotFound {
		t.Errorf("GET /api/nothing: %d, want 404", code)
	}
}

package web

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ServerLimits are the timeouts and limits of the HTTP server that serves
// the page (see HTTPServer). A classroom has tens of clients; these bound
// what a slow or hostile one can hold.
type ServerLimits struct {
	ReadHeader time.Duration // to send a request's headers
	Read       time.Duration // to send a whole request, body included
	Write      time.Duration // to take an answer (a live run's stream extends its own)
	Idle       time.Duration // a kept-alive connection waiting for its next request
	MaxConns   int           // open connections at once; more wait to be accepted
}

// DefaultServerLimits are the limits of sim serve.
var DefaultServerLimits = ServerLimits{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
	MaxConns:   512,
}

// HTTPServer returns the http.Server that serves h with lim's timeouts.
// Listen through LimitListener(ln, lim.MaxConns) to cap connections.
func HTTPServer(h http.Handler, lim ServerLimits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.Idle,
		MaxHeaderBytes:    16 << 10,
	}
}

// LimitListener returns a listener that has at most n connections open at
// once: Accept waits while n are open. Slow clients therefore cannot take
// every file descriptor of the process; the server's read timeouts free
// their slots.
func LimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// contentSecurityPolicy lets the page load only its own files and talk only
// to its own server, and keeps it out of other sites' frames.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// hostAllowed reports whether a request's Host may be answered. A DNS
// rebinding attack reaches the server under an attacker's host name, so the
// server answers only names it knows: an IP address (any: the class types
// the teacher's address), localhost, and the names in allowed (sim serve
// --host).
func hostAllowed(host string, allowed []string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if h == "" {
		return false
	}
	if net.ParseIP(h) != nil || strings.EqualFold(h, "localhost") {
		return true
	}
	for _, a := range allowed {
		if ah, _, err := net.SplitHostPort(a); err == nil {
			a = ah
		}
		if strings.EqualFold(h, a) {
			return true
		}
	}
	return false
}

// guard wraps the API and page: it checks the Host, refuses cross-site
// requests that change state (CSRF), and sets the security headers.
func (s *Server) guard(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusForbidden, "a request from another site (Origin "+r.Header.Get("Origin")+") may not change anything here: open the page from this server", nil)
	}))
	checked := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		if !hostAllowed(r.Host, s.cfg.Hosts) {
			fail(w, http.StatusMisdirectedRequest, "this server does not answer to the host name "+r.Host+
				" (open it by its IP address or localhost, or start it with sim serve --host NAME)", nil)
			return
		}
		checked.ServeHTTP(w, r)
	})
}

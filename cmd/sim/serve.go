package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/collsim/collsim/internal/version"
	"github.com/collsim/collsim/sim/web"
)

func init() {
	register(command{"serve", "serve the classroom page: change a scenario with sliders, run it, compare", cmdServe})
}

// defaultPosterior is the calibration posterior sim serve offers, relative
// to the root of the repository.
const defaultPosterior = "docs/validity/calibration/particles.csv"

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[flags]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port` (0.0.0.0:8080 to let a classroom's laptops in)")
	dir := fs.String("scenarios", "scenarios", "read the scenarios from `DIR` (*.toml and whatif/*.toml)")
	runners := fs.Int("runners", runtime.GOMAXPROCS(0), "runs at once")
	queue := fs.Int("queue", 64, "runs that may wait for a runner; more are refused with 503")
	keep := fs.Int("keep", 64, "finished runs kept for charts, comparisons and downloads")
	households := fs.Int("households", 20000, "households of a run unless the page says")
	record := fs.String("record", "data/targets/record.toml", "draw the historical record of `FILE` on the charts (none if it is missing)")
	maxHouseholds := fs.Int("max-households", 200000, "the most households a page may ask for")
	posterior := fs.String("posterior", defaultPosterior, "offer runs over parameter sets drawn from the calibration's `PARTICLES.csv` (the default is not offered if it is missing)")
	posteriorSets := fs.Int("posterior-sets", 20, "parameter sets a run over the posterior draws")
	var hosts []string
	fs.Func("host", "answer to the host `NAME` too (a classroom address such as teacher.local; IP addresses and localhost are always answered); may be repeated", func(v string) error {
		if v == "" || strings.ContainsAny(v, "/ ") {
			return fmt.Errorf("want a host name such as teacher.local")
		}
		hosts = append(hosts, v)
		return nil
	})
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *runners < 1 || *queue < 1 || *keep < 1 || *households < 1000 || *maxHouseholds < *households || *posteriorSets < 2 || *posteriorSets > 1000 {
		fs.Usage()
		return errUsage
	}
	if *posterior == defaultPosterior && !flagSet(fs, "posterior") {
		if _, err := os.Stat(*posterior); err != nil {
			*posterior = "" // not in a clone of the repository: the page does not offer it
		}
	}
	srv, err := web.New(web.Config{
		Scenarios: *dir, Runners: *runners, Queue: *queue, Keep: *keep,
		Households: *households, MaxHouseholds: *maxHouseholds,
		Hosts:     hosts,
		Record:    *record,
		Posterior: *posterior, PosteriorSets: *posteriorSets,
		Version: version.String(), Log: log.New(stderr, "sim serve: ", log.LstdFlags),
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// Read, write and idle timeouts, and a cap on open connections, so that
	// slow or hostile clients cannot exhaust the process's file descriptors.
	hs := web.HTTPServer(srv, web.DefaultServerLimits)
	ln = web.LimitListener(ln, web.DefaultServerLimits.MaxConns)
	fmt.Fprintf(stdout, "collsim %s: %d scenarios from %s; open http://%s/ (Ctrl-C stops)\n",
		version.String(), len(srv.Catalogue().Entries), *dir, ln.Addr())
	ctx, stop := interruptible()
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

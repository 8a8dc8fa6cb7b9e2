// Command sim runs collsim, an agent-based simulation of the collectivization
// campaign of 1929–1930: households, village cadres and a central authority.
//
// Usage:
//
//	sim run FILE.toml [--out DIR] [--force] [--seed N] [--workers N] [--households N] [--set key=value ...]
//	sim validate FILE.toml [--set key=value ...]
//	sim sweep SWEEP.toml [--workers N] [--out DIR] [--resume] [--shard I/N] [--dry-run]
//	sim merge DIR... --out DIR
//	sim compare A.toml B.toml [...] [--replicates N] --out report.html [--format html|md]
//	sim serve [--addr 127.0.0.1:8080]
//	sim bench FILE.toml [--households N] [--workers N]
//	sim calibrate SCENARIO.toml --targets T.toml [...] --params P.toml [--out DIR] [--resume] [--shard I/N]
//	sim validate-history SCENARIO.toml --targets T.toml [...] [--replicates 10] [--out DIR]
//	sim sensitivity SWEEP.toml [--out DIR] [--resume] [--shard I/N] [--bootstrap N]
//	sim ablate SCENARIO.toml [--mechanisms a,b] [--replicates 10] [--out DIR]
//	sim params [--markdown]
//	sim version
//
// Run "sim help COMMAND" for the flags of a command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"unicode"

	"github.com/collsim/collsim/sim/sweep"
)

// command is a subcommand of sim.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands are the subcommands, in the order usage lists them. Each file
// that implements one adds it with register in an init function.
var commands []command

// order is the order of the usage list; commands not named here follow.
var order = []string{"run", "validate", "sweep", "merge", "compare", "serve", "bench", "calibrate", "validate-history", "sensitivity", "ablate", "params", "version"}

func register(c command) {
	commands = append(commands, c)
	sort.SliceStable(commands, func(i, j int) bool { return rank(commands[i].name) < rank(commands[j].name) })
}

func rank(name string) int {
	for i, n := range order {
		if n == name {
			return i
		}
	}
	return len(order)
}

func init() {
	register(command{"run", "run a scenario and write its outputs", cmdRun})
	register(command{"validate", "check a scenario file without running it", cmdValidate})
	register(command{"params", "list every scenario parameter with its default, unit and range", cmdParams})
	register(command{"version", "print the program version", cmdVersion})
}

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks an error in how sim was called (exit status 2).
var errUsage = errors.New("usage")

// Main runs sim with args and returns its exit status: 0 on success, 1 on a
// failure, 2 on a usage error.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" && len(args) == 1 {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name := args[0]
	if name == "help" {
		name, args = args[1], []string{args[1], "-h"}
	}
	for _, c := range commands {
		if c.name == name {
			err := c.run(args[1:], stdout, stderr)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			}
			fmt.Fprintf(stderr, "sim %s: %v\n", name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "sim: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sim simulates the collectivization campaign of 1929–1930 with agents.")
	fmt.Fprintln(w, "\nUsage: sim COMMAND [arguments]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"sim help COMMAND\" for a command's flags. Quick start:")
	fmt.Fprintln(w, "  sim run scenarios/historical-1929.toml")
}

// newFlags returns a FlagSet for a subcommand that reports errors to stderr.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("sim "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: sim %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, allowing flags after positional arguments
// ("sim run FILE --seed 3"), and returns the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// oneFile checks that the positional arguments pos are one file, a what
// ("scenario file"); otherwise it says what is wrong, prints the usage and
// returns errUsage.
func oneFile(fs *flag.FlagSet, pos []string, what string) error {
	switch len(pos) {
	case 1:
		return nil
	case 0:
		fmt.Fprintf(fs.Output(), "%s: want a %s, got none\n", fs.Name(), what)
	default:
		fmt.Fprintf(fs.Output(), "%s: want one %s, got %d: %s (hint: give other files with their flag; quote a --set value that has spaces)\n",
			fs.Name(), what, len(pos), strings.Join(pos, " "))
	}
	fs.Usage()
	return errUsage
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// interruptible returns a context cancelled by Ctrl-C (SIGINT) or by SIGTERM,
// which Slurm and Kubernetes send before they kill a job.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// commandLine returns the command line of a subcommand, for provenance:
// one line that a POSIX shell (bash, for $'…') reads back as args.
func commandLine(name string, args []string) string {
	q := []string{"sim", name}
	for _, a := range args {
		q = append(q, shellQuote(a))
	}
	return strings.Join(q, " ")
}

// shellQuote quotes s for a shell where it needs it: 'single quotes', or
// $'…' with escapes where s holds a newline or another control character,
// so that the quoted form is always one line.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r) || r > 0x7f && unicode.IsPrint(r)) {
			safe = false
		}
	}
	switch {
	case safe:
		return s
	case strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0:
		q := strconv.Quote(s)
		return "$'" + strings.ReplaceAll(q[1:len(q)-1], "'", `\'`) + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shardFlag is a --shard I/N flag, checked when it is set.
type shardFlag struct{ sweep.Shard }

func (f *shardFlag) String() string {
	if f == nil || f.Shard == (sweep.Shard{}) {
		return ""
	}
	return f.Shard.String()
}

func (f *shardFlag) Set(v string) (err error) {
	f.Shard, err = sweep.ParseShard(v)
	return err
}

// countFlag is a flag of a whole number of at least one (--workers N,
// --households N); 0 means it was not given.
type countFlag int

func (f *countFlag) String() string { return strconv.Itoa(int(*f)) }

func (f *countFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return fmt.Errorf("want a whole number of at least 1, got %q", v)
	}
	*f = countFlag(n)
	return nil
}

// optionalInt is an integer flag that knows whether it was given.
type optionalInt struct {
	v   int64
	set bool
}

func (o *optionalInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatInt(o.v, 10)
}

func (o *optionalInt) Set(s string) error {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want an integer, got %q", s)
	}
	o.v, o.set = v, true
	return nil
}

package web

import (
	"bytes"
	"crypto/rand"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// A class (like NetLogo's HubNet, without accounts): the teacher opens
// /class/NEW and gets a short code; students open /class/CODE on their
// phones, give a name, run and submit their runs. The teacher's page shows
// every submitted run overlaid and a table, and exports it as CSV. A
// submission is copied into the class, so it outlives the run cache.
// Nothing leaves the server.

// Limits of classes.
const (
	maxClasses     = 32
	maxStudents    = 200
	classLifetime  = 8 * time.Hour
	codeAlphabet   = "ABCDEFGHJKMNPQRSTUVWXYZ23456789" // no 0/O, 1/I/L
	codeLength     = 5
	maxStudentName = 40
)

type classes struct {
	mu sync.Mutex
	m  map[string]*class
}

func newClasses() *classes { return &classes{m: map[string]*class{}} }

type class struct {
	Code    string
	key     string // the teacher's: reads the table
	created time.Time

	mu          sync.Mutex
	students    []string
	submissions []submission
}

// submission is a student's run as the teacher's table and chart show it.
type submission struct {
	Student    string        `json:"student"`
	Run        string        `json:"run"`
	Scenario   string        `json:"scenario"`
	Title      string        `json:"title"`
	Changes    string        `json:"changes"`
	Seed       int64         `json:"seed"`
	Households int           `json:"households"`
	Replicates int           `json:"replicates"`
	Posterior  int           `json:"posterior"` // replicates over parameter sets from the posterior: their number; 0 if none
	Outcomes   []outcomeView `json:"outcomes"`
	Dates      []string      `json:"dates"`
	Shares     []float64     `json:"shares"` // % of households in collectives, week by week
	Submitted  string        `json:"submitted"`
}

func randomCode(alphabet string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func (cs *classes) create() (*class, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	now := time.Now()
	for code, c := range cs.m {
		if now.Sub(c.created) > classLifetime {
			delete(cs.m, code)
		}
	}
	if len(cs.m) >= maxClasses {
		return nil, false
	}
	c := &class{key: randomCode("abcdefghijkmnpqrstuvwxyz23456789", 20), created: now}
	for {
		c.Code = randomCode(codeAlphabet, codeLength)
		if _, used := cs.m[c.Code]; !used {
			break
		}
	}
	cs.m[c.Code] = c
	return c, true
}

func (cs *classes) get(code string) (*class, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c, ok := cs.m[strings.ToUpper(code)]
	if ok && time.Since(c.created) > classLifetime {
		delete(cs.m, c.Code)
		return nil, false
	}
	return c, ok
}

func (s *Server) classRoutes() {
	s.mux.HandleFunc("GET /class/{code}", s.classPage)
	s.mux.HandleFunc("POST /api/classes", s.newClass)
	s.mux.HandleFunc("GET /api/classes/{code}", s.classView)
	s.mux.HandleFunc("POST /api/classes/{code}/students", s.join)
	s.mux.HandleFunc("POST /api/classes/{code}/submissions", s.submit)
	s.mux.HandleFunc("GET /api/classes/{code}/table.csv", s.classCSV)
}

// classPage serves the teacher's page (/class/NEW) or the student's (the
// classroom page, which reads the code from its address).
func (s *Server) classPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r, "key"); !ok {
		return
	}
	page := "static/index.html"
	if code := r.PathValue("code"); code == "NEW" || r.URL.Query().Has("key") {
		page = "static/teacher.html"
	} else if _, ok := s.classes.get(code); !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "There is no class %q on this server: check the code with your teacher.\n", code)
		return
	}
	b, err := static.ReadFile(page)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

func (s *Server) newClass(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	c, ok := s.classes.create()
	if !ok {
		fail(w, http.StatusServiceUnavailable, fmt.Sprintf("this server already has %d classes open", maxClasses), nil)
		return
	}
	reply(w, http.StatusCreated, map[string]string{"code": c.Code, "key": c.key,
		"student_page": "/class/" + c.Code, "teacher_page": "/class/" + c.Code + "?key=" + c.key})
}

// classOf finds the path's class, answering 404 when there is none.
func (s *Server) classOf(w http.ResponseWriter, r *http.Request) (*class, bool) {
	c, ok := s.classes.get(r.PathValue("code"))
	if !ok {
		fail(w, http.StatusNotFound, "", map[string]string{"code": "no such class on this server: check the code"})
	}
	return c, ok
}

// classView tells a student that the class exists and how many are in it;
// with the teacher's key, it gives every submission.
func (s *Server) classView(w http.ResponseWriter, r *http.Request) {
	q, ok := query(w, r, "key")
	if !ok {
		return
	}
	c, ok := s.classOf(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]any{"code": c.Code, "students": len(c.students), "submissions": len(c.submissions)}
	if k, ok := q["key"]; ok {
		if k[0] != c.key {
			fail(w, http.StatusForbidden, "", map[string]string{"key": "not this class's teacher key"})
			return
		}
		out["names"] = append([]string{}, c.students...)
		out["table"] = append([]submission{}, c.submissions...)
		out["metrics"] = classColumns
	}
	reply(w, http.StatusOK, out)
}

// form reads a small urlencoded form with exactly the given fields.
func smallForm(w http.ResponseWriter, r *http.Request, names ...string) (map[string]string, bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		fail(w, http.StatusUnsupportedMediaType, "send the form as application/x-www-form-urlencoded", nil)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4096))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, "the form is larger than 4096 bytes", nil)
		return nil, false
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		fail(w, http.StatusBadRequest, "the form is malformed: "+err.Error(), nil)
		return nil, false
	}
	out := map[string]string{}
	bad := map[string]string{}
	for k, v := range values {
		if !slices.Contains(names, k) {
			bad[k] = "unknown field"
		} else if len(v) > 1 {
			bad[k] = "given more than once"
		} else {
			out[k] = v[0]
		}
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			bad[n] = "missing"
		}
	}
	if len(bad) > 0 {
		fail(w, http.StatusBadRequest, "", bad)
		return nil, false
	}
	return out, true
}

// studentName checks a student's name: 1 to 40 printable characters.
func studentName(raw string) (string, string) {
	name := strings.Join(strings.Fields(raw), " ")
	if name == "" || utf8.RuneCountInString(name) > maxStudentName || !utf8.ValidString(name) ||
		strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return "", fmt.Sprintf("want a name of 1 to %d letters", maxStudentName)
	}
	return name, ""
}

func (s *Server) join(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	c, ok := s.classOf(w, r)
	if !ok {
		return
	}
	f, ok := smallForm(w, r, "name")
	if !ok {
		return
	}
	name, msg := studentName(f["name"])
	if msg != "" {
		fail(w, http.StatusBadRequest, "", map[string]string{"name": msg})
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.students, name) {
		if len(c.students) >= maxStudents {
			fail(w, http.StatusServiceUnavailable, fmt.Sprintf("the class is full (%d students)", maxStudents), nil)
			return
		}
		c.students = append(c.students, name)
	}
	reply(w, http.StatusOK, map[string]any{"code": c.Code, "name": name, "students": len(c.students)})
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	c, ok := s.classOf(w, r)
	if !ok {
		return
	}
	f, ok := smallForm(w, r, "name", "run")
	if !ok {
		return
	}
	name, msg := studentName(f["name"])
	if msg != "" {
		fail(w, http.StatusBadRequest, "", map[string]string{"name": msg})
		return
	}
	run, ok := s.finished(w, f["run"], "run")
	if !ok {
		return
	}
	sub := submission{Student: name, Run: run.id, Scenario: run.entry.ID, Title: run.entry.Title, Changes: run.label,
		Seed: run.s.Seed, Households: run.s.Population.Households, Replicates: run.replicates, Posterior: len(run.posterior),
		Outcomes: outcomes(run.reps, run.posterior != nil), Submitted: time.Now().UTC().Format(time.RFC3339)}
	for k, d := range run.result.Dates {
		sub.Dates = append(sub.Dates, d.String())
		sub.Shares = append(sub.Shares, 100*run.result.Country[k].CollectiveShare)
	}
	for _, iv := range run.interventions {
		if sub.Changes != "" {
			sub.Changes += ", "
		}
		sub.Changes += fmt.Sprintf("%s at week %d", interventionKinds[iv.Kind], iv.Week)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.students, name) {
		fail(w, http.StatusBadRequest, "", map[string]string{"name": "join the class first"})
		return
	}
	i := slices.IndexFunc(c.submissions, func(x submission) bool { return x.Student == name })
	if i >= 0 {
		c.submissions[i] = sub // a student's latest submission counts
	} else {
		c.submissions = append(c.submissions, sub)
	}
	reply(w, http.StatusOK, map[string]any{"submitted": true, "submissions": len(c.submissions)})
}

// classColumns are the outcomes of the teacher's table, in order.
var classColumns = []string{"peak_share", "repressed", "arrested_deported", "total_exits", "livestock_change", "productivity_change", "final_share"}

func (s *Server) classCSV(w http.ResponseWriter, r *http.Request) {
	q, ok := query(w, r, "key")
	if !ok {
		return
	}
	c, ok := s.classOf(w, r)
	if !ok {
		return
	}
	if k, ok := q["key"]; !ok || k[0] != c.key {
		fail(w, http.StatusForbidden, "", map[string]string{"key": "the teacher's key is needed for the table"})
		return
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	head := []string{"student", "scenario", "changes", "seed", "households", "replicates"}
	head = append(head, classColumns...)
	head = append(head, "submitted")
	cw.Write(head)
	c.mu.Lock()
	for _, sub := range c.submissions {
		row := []string{csvSafe(sub.Student), sub.Scenario, csvSafe(sub.Changes), fmt.Sprint(sub.Seed), fmt.Sprint(sub.Households), fmt.Sprint(sub.Replicates)}
		for _, key := range classColumns {
			v := ""
			for _, o := range sub.Outcomes {
				if o.Key == key && o.Value != nil {
					v = fmt.Sprintf("%.6g", *o.Value)
				}
			}
			row = append(row, v)
		}
		row = append(row, sub.Submitted)
		cw.Write(row)
	}
	c.mu.Unlock()
	cw.Flush()
	download(w, "text/csv; charset=utf-8", "class-"+c.Code+".csv", b.Bytes())
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

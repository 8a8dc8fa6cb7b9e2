package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/collsim/collsim/sim/agents"
)

// The tests in this file keep docs/MODEL.md a specification of the code as
// it is: the order of the weekly steps, the functions each rule names, and
// the [mechanisms] switches.

const (
	modelDocPath = "../../docs/MODEL.md" // as in docs_test.go
	simTree      = "../../sim"
)

// stepLists are the numbered lists of MODEL.md, each between the markers
// <!-- marker:begin --> and <!-- marker:end -->, and the function whose
// `// Step N. Name.` comments they list.
var stepLists = []struct {
	marker, dir, recv, fn string
}{
	{"world-step", "engine", "World", "Step"},
	{"village-step", "engine", "Village", "step"},
	{"household-step", "agents", "Household", "Step"},
}

var (
	// stepComment is a step comment in the code: "// Step 3. Private wish."
	stepComment = regexp.MustCompile(`^//\s*Step (\d+)\. ([^.]+\.)$`)
	// docStep is an item of a step list in MODEL.md: "3. **Private wish.** ..."
	docStep = regexp.MustCompile(`^(\d+)\. \*\*([^*]+\.)\*\*`)
	// citation is a backticked name of the code: `pkg.Name` or `pkg.Type.Member`.
	citation = regexp.MustCompile("`([a-z][a-z0-9]*)\\.([A-Za-z][A-Za-z0-9]*)(?:\\.([A-Za-z][A-Za-z0-9]*))?`")
	// fileName is a backticked file name that looks like a citation (`scenario.toml`).
	fileName = regexp.MustCompile(`^(toml|csv|json|md|go|png|svg|html|sh|txt)$`)
	// mechanismNamed is a switch named in the text: mechanism `resistance`.
	mechanismNamed = regexp.MustCompile("[Mm]echanisms?\\s+`([a-z_]+)`")
)

// TestModelDocStepOrder checks that each step list of MODEL.md is the list
// of `// Step N. Name.` comments in its function, in the same order.
func TestModelDocStepOrder(t *testing.T) {
	doc := readModelDoc(t)
	for _, l := range stepLists {
		part, err := docPart(doc, l.marker)
		if err != nil {
			t.Error(err)
			continue
		}
		files, err := parseDir(filepath.Join(simTree, l.dir))
		if err != nil {
			t.Fatal(err)
		}
		code, err := codeSteps(files, l.recv, l.fn)
		if err != nil {
			t.Errorf("%s.%s.%s: %v", l.dir, l.recv, l.fn, err)
			continue
		}
		if len(code) < 3 {
			t.Errorf("%s.%s.%s has %d step comments; want the whole step marked", l.dir, l.recv, l.fn, len(code))
		}
		if err := diffSteps(docSteps(part), code); err != nil {
			t.Errorf("the %s list of %s is not the order of %s.%s.%s: %v", l.marker, modelDocPath, l.dir, l.recv, l.fn, err)
		}
	}
}

// TestModelDocStepOrderCatchesChanges shows that the step-order check
// fails when the document and the code disagree: two steps swapped in the
// document, a step renamed, a step missing, or the code's comments out of
// order.
func TestModelDocStepOrderCatchesChanges(t *testing.T) {
	files, err := parseDir(filepath.Join(simTree, "agents"))
	if err != nil {
		t.Fatal(err)
	}
	code, err := codeSteps(files, "Household", "Step")
	if err != nil {
		t.Fatal(err)
	}
	doc := ""
	for _, s := range code {
		n, name, _ := strings.Cut(s, " ")
		doc += n + " **" + name + "** what it does.\n"
	}
	if err := diffSteps(docSteps(doc), code); err != nil {
		t.Fatalf("a list made from the code differs from it: %v", err)
	}

	swapped := append([]string(nil), code...)
	swapped[1], swapped[2] = swapped[2], swapped[1]
	renamed := append([]string(nil), code...)
	renamed[len(renamed)-1] = strings.TrimSuffix(renamed[len(renamed)-1], ".") + " and more."
	for name, list := range map[string][]string{
		"swapped": swapped,
		"renamed": renamed,
		"missing": code[:len(code)-1],
	} {
		if diffSteps(list, code) == nil {
			t.Errorf("a %s list passes the check", name)
		}
	}

	// Step comments out of order in the code.
	src := `package p
type T struct{}
func (t *T) Step() {
	// Step 1. First.
	_ = 1
	// Step 3. Third.
	// Step 2. Second.
}`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := codeSteps([]*ast.File{f}, "T", "Step"); err == nil {
		t.Errorf("step comments out of order pass the check: %q", got)
	}
	if _, err := codeSteps([]*ast.File{f}, "T", "Missing"); err == nil {
		t.Error("a missing function passes the check")
	}
}

// TestModelDocNames checks that every function, type, method or field of
// the code that MODEL.md cites as `pkg.Name` or `pkg.Type.Member` (pkg a
// package under sim/) exists.
func TestModelDocNames(t *testing.T) {
	idx, err := indexTree(simTree)
	if err != nil {
		t.Fatal(err)
	}
	checked, missing := checkNames(readModelDoc(t), idx)
	t.Logf("%d citations of the code checked", checked)
	for _, m := range missing {
		t.Errorf("%s cites %s, which is not in the code under sim/", modelDocPath, m)
	}
	if checked < 40 {
		t.Errorf("%s cites only %d names of the code in the form `pkg.Type.Method`; the check has nothing to hold on to", modelDocPath, checked)
	}

	// The check does fail on a name that does not exist.
	if _, missing := checkNames("see `agents.Household.Stepp` and `engine.Nowhere`, not `scenario.toml`", idx); len(missing) != 2 {
		t.Errorf("checkNames found %q missing; want the two made-up names", missing)
	}
}

// TestModelDocMechanisms checks that every [mechanisms] switch is named in
// the hand-written text of MODEL.md as "mechanism `name`", and that every
// switch the text names so exists.
func TestModelDocMechanisms(t *testing.T) {
	switches := mechanismSwitches()
	if len(switches) == 0 {
		t.Fatal("agents.Mechanisms has no switches with toml tags")
	}
	for _, e := range checkMechanisms(readModelDoc(t), switches) {
		t.Errorf("%s: %s", modelDocPath, e)
	}

	// The check does fail when a switch is missing or made up.
	doc := "mechanism `" + strings.Join(switches[1:], "`, mechanism `") + "`, mechanism `telepathy`"
	if errs := checkMechanisms(doc, switches); len(errs) != 2 {
		t.Errorf("checkMechanisms found %q; want the missing %s and the made-up telepathy", errs, switches[0])
	}
}

func readModelDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(modelDocPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// docPart returns the text between <!-- name:begin --> and <!-- name:end -->.
func docPart(doc, name string) (string, error) {
	begin, end := "<!-- "+name+":begin -->", "<!-- "+name+":end -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("%s has no %q ... %q markers", modelDocPath, begin, end)
	}
	return doc[i+len(begin) : j], nil
}

// docSteps returns the items of a step list as "N. Name.".
func docSteps(part string) []string {
	var out []string
	for _, line := range strings.Split(part, "\n") {
		if m := docStep.FindStringSubmatch(line); m != nil {
			out = append(out, m[1]+". "+m[2])
		}
	}
	return out
}

// parseDir parses the Go files of a package directory, without its tests.
func parseDir(dir string) ([]*ast.File, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// receiver returns the name of a method's receiver type, or "".
func receiver(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	x := fd.Recv.List[0].Type
	if s, ok := x.(*ast.StarExpr); ok {
		x = s.X
	}
	if g, ok := x.(*ast.IndexExpr); ok { // generic receiver
		x = g.X
	}
	if id, ok := x.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// codeSteps returns the `// Step N. Name.` comments in the body of the
// method recv.fn, in source order, as "N. Name.". The numbers must rise by
// one from the first.
func codeSteps(files []*ast.File, recv, fn string) ([]string, error) {
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Name.Name != fn || receiver(fd) != recv {
				continue
			}
			var steps []string
			next := -1
			for _, g := range f.Comments {
				if g.Pos() < fd.Body.Lbrace || g.End() > fd.Body.Rbrace {
					continue
				}
				for _, c := range g.List {
					m := stepComment.FindStringSubmatch(c.Text)
					if m == nil {
						continue
					}
					n, _ := strconv.Atoi(m[1])
					if next >= 0 && n != next {
						return steps, fmt.Errorf("step %d follows step %d", n, next-1)
					}
					next = n + 1
					steps = append(steps, m[1]+". "+m[2])
				}
			}
			return steps, nil
		}
	}
	return nil, fmt.Errorf("no method %s.%s", recv, fn)
}

// diffSteps reports how a documented step list differs from the code's.
func diffSteps(doc, code []string) error {
	if reflect.DeepEqual(doc, code) {
		return nil
	}
	return fmt.Errorf("\ndocument:\n\t%s\ncode:\n\t%s", strings.Join(doc, "\n\t"), strings.Join(code, "\n\t"))
}

// goIndex holds the names declared in the packages under sim/: top-level
// names by package, and methods and fields by package and type.
type goIndex struct {
	top     map[string]map[string]bool
	members map[string]map[string]map[string]bool
}

// indexTree parses every package under root (testdata and tests left out).
func indexTree(root string) (*goIndex, error) {
	idx := &goIndex{top: map[string]map[string]bool{}, members: map[string]map[string]map[string]bool{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		files, err := parseDir(path)
		if err != nil {
			return err
		}
		for _, f := range files {
			idx.add(f)
		}
		return nil
	})
	return idx, err
}

func (idx *goIndex) add(f *ast.File) {
	pkg := f.Name.Name
	if idx.top[pkg] == nil {
		idx.top[pkg] = map[string]bool{}
		idx.members[pkg] = map[string]map[string]bool{}
	}
	member := func(typ, name string) {
		if idx.members[pkg][typ] == nil {
			idx.members[pkg][typ] = map[string]bool{}
		}
		idx.members[pkg][typ][name] = true
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if r := receiver(d); r != "" {
				member(r, d.Name.Name)
			} else {
				idx.top[pkg][d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					idx.top[pkg][s.Name.Name] = true
					st, ok := s.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, fld := range st.Fields.List {
						for _, n := range fld.Names {
							member(s.Name.Name, n.Name)
						}
						if len(fld.Names) == 0 { // embedded
							x := fld.Type
							if p, ok := x.(*ast.StarExpr); ok {
								x = p.X
							}
							if sel, ok := x.(*ast.SelectorExpr); ok {
								member(s.Name.Name, sel.Sel.Name)
							} else if id, ok := x.(*ast.Ident); ok {
								member(s.Name.Name, id.Name)
							}
						}
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						idx.top[pkg][n.Name] = true
					}
				}
			}
		}
	}
}

// checkNames returns how many citations of the code doc holds, and those
// that name nothing in idx. A citation is a backticked pkg.Name or
// pkg.Type.Member whose pkg is a package of idx; a backticked file name
// (`scenario.toml`) is not one.
func checkNames(doc string, idx *goIndex) (checked int, missing []string) {
	seen := map[string]bool{}
	for _, m := range citation.FindAllStringSubmatch(doc, -1) {
		pkg, name, member := m[1], m[2], m[3]
		if idx.top[pkg] == nil || member == "" && fileName.MatchString(name) {
			continue
		}
		checked++
		ok := idx.top[pkg][name]
		if member != "" {
			ok = idx.members[pkg][name][member]
		}
		if !ok && !seen[m[0]] {
			seen[m[0]] = true
			missing = append(missing, m[0])
		}
	}
	return checked, missing
}

// mechanismSwitches returns the toml keys of agents.Mechanisms.
func mechanismSwitches() []string {
	var out []string
	typ := reflect.TypeOf(agents.Mechanisms{})
	for i := range typ.NumField() {
		if k, _, _ := strings.Cut(typ.Field(i).Tag.Get("toml"), ","); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// checkMechanisms reports the switches that the hand-written text of doc
// (without its generated parts) does not name as "mechanism `name`" (or,
// in a formula, "mechanism name"), and the names it gives as mechanisms
// that are not switches.
func checkMechanisms(doc string, switches []string) []string {
	for _, gen := range []string{"params", "calibration", "validity"} {
		begin, end := "<!-- "+gen+":begin -->", "<!-- "+gen+":end -->"
		if i, j := strings.Index(doc, begin), strings.Index(doc, end); i >= 0 && j > i {
			doc = doc[:i] + doc[j+len(end):]
		}
	}
	var errs []string
	known := map[string]bool{}
	for _, s := range switches {
		known[s] = true
		named := regexp.MustCompile("[Mm]echanisms?\\s+(`" + s + "`|" + s + `\b)`)
		if !named.MatchString(doc) {
			errs = append(errs, fmt.Sprintf("the [mechanisms] switch %s is not named as \"mechanism `%s`\"", s, s))
		}
	}
	var unknown []string
	for _, m := range mechanismNamed.FindAllStringSubmatch(doc, -1) {
		if !known[m[1]] {
			unknown = append(unknown, m[1])
		}
	}
	sort.Strings(unknown)
	for i, u := range unknown {
		if i == 0 || u != unknown[i-1] {
			errs = append(errs, fmt.Sprintf("mechanism `%s` is not a [mechanisms] switch", u))
		}
	}
	return errs
}

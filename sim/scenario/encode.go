package scenario

import (
	"bytes"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/calendar"
)

// EncodeTOML writes the scenario with every parameter, in the order of the
// struct fields, as TOML that Parse reads back to the same Scenario. Dates
// are quoted strings; an unset date is "".
func (s *Scenario) EncodeTOML(w io.Writer) error {
	var b bytes.Buffer
	encodeTable(&b, "", reflect.ValueOf(s).Elem())
	_, err := w.Write(b.Bytes())
	return err
}

// encodeTable writes the fields of struct v, the table at path: first its
// values, then its tables and arrays of tables.
func encodeTable(b *bytes.Buffer, path string, v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		if f := t.Field(i); !isSection(f.Type) {
			b.WriteString(strict.JoinKey("", f.Tag.Get("toml")) + " = " + encodeValue(v.Field(i)) + "\n")
		}
	}
	for i := range t.NumField() {
		f := t.Field(i)
		key := strict.JoinKey(path, f.Tag.Get("toml"))
		switch {
		case schema.IsTableArray(f.Type):
			for j := range v.Field(i).Len() {
				b.WriteString("\n[[" + key + "]]\n")
				encodeTable(b, key, v.Field(i).Index(j))
			}
		case isSection(f.Type):
			b.WriteString("\n[" + key + "]\n")
			encodeTable(b, key, v.Field(i))
		}
	}
}

// isSection reports whether a field of type t is written under its own
// [table] or [[array]] header rather than as key = value; agents.ClassValues
// is written inline.
func isSection(t reflect.Type) bool {
	return schema.IsTable(t) && t != classType || schema.IsTableArray(t)
}

// encodeValue writes v as a TOML value.
func encodeValue(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case calendar.Date:
		if x.IsZero() {
			return `""`
		}
		return strict.QuoteString(x.String())
	case calendar.DayOfYear:
		return strict.QuoteString(x.String())
	}
	switch v.Kind() {
	case reflect.String:
		return strict.QuoteString(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float32, reflect.Float64:
		return strict.FormatFloat(v.Float())
	case reflect.Struct:
		var kv []string
		for i := range v.NumField() {
			kv = append(kv, strict.JoinKey("", v.Type().Field(i).Tag.Get("toml"))+" = "+encodeValue(v.Field(i)))
		}
		return "{ " + strings.Join(kv, ", ") + " }"
	case reflect.Map:
		if v.Len() == 0 {
			return "{}"
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		var kv []string
		for _, k := range keys {
			kv = append(kv, strict.JoinKey("", k)+" = "+encodeValue(v.MapIndex(reflect.ValueOf(k))))
		}
		return "{ " + strings.Join(kv, ", ") + " }"
	}
	panic("scenario: cannot encode " + v.Type().String())
}

// Package strict reads TOML files onto Go structs strictly: an unknown key,
// a value of the wrong type or out of range is an error that names the file,
// the line and the dotted key, with a hint where one helps. Files are decoded
// into trees of nodes that remember their lines (Decode), may be laid over
// each other (Merge) and overridden from the command line (Schema.Override),
// and are then bound onto a struct (Schema.Bind) whose fields carry toml tags
// and, for numbers, min and max tags (Schema.Ranges).
package strict

import "reflect"

// Schema says how to bind TOML onto Go values beyond what their struct tags
// say: which types TOML writes as one value (dates) and what each element of
// an array of tables starts from. The zero Schema binds plain structs.
type Schema struct {
	values map[reflect.Type]func(x any, got string) (reflect.Value, error)
	elems  map[reflect.Type]func() reflect.Value
}

// A Hook teaches a Schema about one type; make one with Value or Elem.
type Hook func(*Schema)

// NewSchema returns a Schema with the hooks.
func NewSchema(hooks ...Hook) *Schema {
	s := &Schema{
		values: map[reflect.Type]func(any, string) (reflect.Value, error){},
		elems:  map[reflect.Type]func() reflect.Value{},
	}
	for _, h := range hooks {
		h(s)
	}
	return s
}

// Value makes T a single TOML value (not a table) bound by parse. Parse gets
// the value as decoded by the toml package (string, int64, float64, bool,
// time.Time; nil for a table or an array) and a description of it for
// messages ("string \"April\"", "a table"); its error becomes the message of
// an Error at the value's key and line.
func Value[T any](parse func(x any, got string) (T, error)) Hook {
	return func(s *Schema) {
		s.values[reflect.TypeFor[T]()] = func(x any, got string) (reflect.Value, error) {
			v, err := parse(x, got)
			return reflect.ValueOf(v), err
		}
	}
}

// Elem makes def the default of every element of an array of tables of T:
// each [[table]] of a file is laid over def() rather than over the zero T.
func Elem[T any](def func() T) Hook {
	return func(s *Schema) {
		s.elems[reflect.TypeFor[T]()] = func() reflect.Value { return reflect.ValueOf(def()) }
	}
}

// IsTable reports whether values of type t are TOML tables with a key per
// field (a struct that is not a Value).
func (s *Schema) IsTable(t reflect.Type) bool {
	_, leaf := s.values[t]
	return t.Kind() == reflect.Struct && !leaf
}

// IsTableArray reports whether values of type t are arrays of tables.
func (s *Schema) IsTableArray(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && s.IsTable(t.Elem())
}

// NewElem returns a new element of an array of tables of type t (a slice
// type) at its default (see Elem).
func (s *Schema) NewElem(t reflect.Type) reflect.Value {
	v := reflect.New(t.Elem()).Elem()
	if def, ok := s.elems[t.Elem()]; ok {
		v.Set(def())
	}
	return v
}

// FieldType returns the type of the value at key in a value of type t (a
// field of a struct, an entry of a map), or nil if there is none.
func (s *Schema) FieldType(t reflect.Type, key string) reflect.Type {
	switch {
	case t == nil:
		return nil
	case s.IsTable(t):
		if i := fieldByKey(t, key); i >= 0 {
			return t.Field(i).Type
		}
	case t.Kind() == reflect.Map:
		return t.Elem()
	}
	return nil
}

// fieldByKey returns the index of the field of struct type t whose toml tag
// is key, or -1.
func fieldByKey(t reflect.Type, key string) int {
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("toml") == key {
			return i
		}
	}
	return -1
}

// keysOf returns the toml keys of struct type t.
func keysOf(t reflect.Type) []string {
	var ks []string
	for i := range t.NumField() {
		ks = append(ks, t.Field(i).Tag.Get("toml"))
	}
	return ks
}

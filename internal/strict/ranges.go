package strict

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// Ranges checks each number in v against the min and max tags of its field
// and calls fail for each one out of range (or NaN or infinite) with its key
// and a message ("-5 is out of range [1, 200000000]"). The tags of a table
// field without tags of its own apply to each of its fields, and those of a
// list field to each of its elements. Maps are not walked.
func (s *Schema) Ranges(v reflect.Value, fail func(key, msg string)) {
	s.ranges(v, "", "", "", fail)
}

func (s *Schema) ranges(v reflect.Value, key, lo, hi string, fail func(key, msg string)) {
	t := v.Type()
	if _, leaf := s.values[t]; leaf {
		return
	}
	switch {
	case s.IsTable(t):
		for i := range t.NumField() {
			f := t.Field(i)
			flo, fhi := f.Tag.Get("min"), f.Tag.Get("max")
			if flo == "" && fhi == "" {
				flo, fhi = lo, hi
			}
			s.ranges(v.Field(i), JoinKey(key, f.Tag.Get("toml")), flo, fhi, fail)
		}
	case s.IsTableArray(t):
		for i := range v.Len() {
			s.ranges(v.Index(i), IndexKey(key, i), "", "", fail)
		}
	case t.Kind() == reflect.Slice:
		for i := range v.Len() {
			s.ranges(v.Index(i), IndexKey(key, i), lo, hi, fail)
		}
	case v.CanInt():
		x := v.Int()
		l, errl := strconv.ParseInt(lo, 10, 64)
		h, errh := strconv.ParseInt(hi, 10, 64)
		if errl == nil && x < l || errh == nil && x > h {
			fail(key, fmt.Sprintf("%d is out of range [%s, %s]", x, bound(lo, "-inf"), bound(hi, "inf")))
		}
	case v.CanFloat():
		x := v.Float()
		l, errl := strconv.ParseFloat(lo, 64)
		h, errh := strconv.ParseFloat(hi, 64)
		if errl != nil {
			l = math.Inf(-1)
		}
		if errh != nil {
			h = math.Inf(1)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || x < l || x > h {
			fail(key, fmt.Sprintf("%s is out of range [%s, %s]", FormatFloat(x), bound(lo, "-inf"), bound(hi, "inf")))
		}
	}
}

func bound(tag, none string) string {
	if tag == "" {
		return none
	}
	return tag
}

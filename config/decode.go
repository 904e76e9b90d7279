package config

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config/spec"
)

// decoder applies a YAML node tree onto a Go value by reflection, recording
// a Problem (with line and key path) for every unknown key and every value
// of the wrong type instead of stopping at the first. It follows yaml.v3's
// rules for what goes where (yaml tags, ",inline", lower-cased field names,
// UnmarshalYAML and UnmarshalText), and delegates every leaf to yaml.v3, so
// a valid file decodes exactly as yaml.v3 would decode it. yaml.v3's own
// Decoder.KnownFields(true) was not enough: it stops at the first error an
// UnmarshalYAML method returns (a bad duration hides every later problem),
// and it gives no key paths.
type decoder struct {
	file     string
	problems []Problem
	// active holds the aliases being expanded, to refuse a recursive one.
	active map[*yaml.Node]bool
	// steps counts nodes decoded, to refuse alias bombs.
	steps  int
	tooBig bool
}

// maxSteps bounds the nodes one file may expand to (aliases included): far
// above any real configuration, far below a "billion laughs".
const maxSteps = 1_000_000

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	secretType          = reflect.TypeFor[spec.Secret]()
)

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Line: n.Line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// decode sets v (addressable) from n; path is v's key path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if !d.step(n, path) {
		return
	}
	if n.Kind == yaml.AliasNode {
		if d.enter(n, path) {
			d.decode(n.Alias, v, path)
			delete(d.active, n)
		}
		return
	}
	if isNull(n) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
			v.SetZero()
		}
		return // other kinds keep their default, as in yaml.v3
	}
	pt := reflect.PointerTo(v.Type())
	if pt.Implements(unmarshalerType) {
		d.leaf(n, v, path, true)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		if pt.Implements(textUnmarshalerType) {
			d.leaf(n, v, path, false)
			return
		}
		d.mapping(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "want a mapping, got %s", describe(n))
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			kp := joinPath(path, kn.Value)
			if first, dup := seen[kn.Value]; dup {
				d.fail(kn, kp, "duplicate key (first at line %d)", first)
				continue
			}
			seen[kn.Value] = kn.Line
			k := reflect.New(v.Type().Key()).Elem()
			before := len(d.problems)
			d.decode(kn, k, kp)
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(vn, e, kp)
			if len(d.problems) == before {
				v.SetMapIndex(k, e)
			}
		}
	case reflect.Interface:
		d.leaf(n, v, path, false)
	default:
		d.leaf(n, v, path, false)
	}
}

// step counts one node and reports false, once, when the file expands to
// too many nodes.
func (d *decoder) step(n *yaml.Node, path string) bool {
	d.steps++
	if d.steps <= maxSteps {
		return true
	}
	if !d.tooBig {
		d.tooBig = true
		d.fail(n, path, "the document expands to more than %d nodes (aliases included)", maxSteps)
	}
	return false
}

// enter marks alias n as being expanded; false (with a problem) if it
// already is: the alias refers to a node that contains it.
func (d *decoder) enter(n *yaml.Node, path string) bool {
	if d.active == nil {
		d.active = map[*yaml.Node]bool{}
	}
	if d.active[n] {
		d.fail(n, path, "alias *%s refers to a node that contains it", n.Value)
		return false
	}
	d.active[n] = true
	return true
}

// mapping decodes a mapping node into struct v, field by yaml name.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		what := "want a mapping of keys"
		if path == "" {
			what = "want a mapping of sections at the top level"
		}
		d.fail(n, path, "%s, got %s", what, describe(n))
		return
	}
	fields := structFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Value == "<<" && kn.Tag == "!!merge" {
			d.merge(vn, v, path)
			continue
		}
		kp := joinPath(path, kn.Value)
		if first, dup := seen[kn.Value]; dup {
			d.fail(kn, kp, "duplicate key (first at line %d)", first)
			continue
		}
		seen[kn.Value] = kn.Line
		idx, ok := fields[kn.Value]
		if !ok {
			d.fail(kn, kp, "unknown key%s", suggest(kn.Value, fields))
			continue
		}
		d.decode(vn, v.FieldByIndex(idx), kp)
	}
}

// merge applies a YAML merge key ("<<: *anchor") onto struct v.
func (d *decoder) merge(n *yaml.Node, v reflect.Value, path string) {
	if !d.step(n, path) {
		return
	}
	if n.Kind == yaml.AliasNode {
		if d.enter(n, path) {
			d.merge(n.Alias, v, path)
			delete(d.active, n)
		}
		return
	}
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			d.merge(c, v, path)
		}
		return
	}
	d.mapping(n, v, path)
}

// leaf decodes n into a fresh value of v's type with yaml.v3 and sets v only
// if that succeeded, so a failed value keeps its default.
func (d *decoder) leaf(n *yaml.Node, v reflect.Value, path string, custom bool) {
	if !custom && v.Kind() != reflect.Interface && n.Kind != yaml.ScalarNode {
		d.fail(n, path, "want %s, got %s", want(v.Type()), describe(n))
		return
	}
	tmp := reflect.New(v.Type())
	if custom || v.Kind() == reflect.Struct {
		// Start from the current value: an UnmarshalYAML may merge into it.
		tmp.Elem().Set(v)
	}
	if err := n.Decode(tmp.Interface()); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && !custom {
			d.fail(n, path, "want %s, got %s", want(v.Type()), describe(n))
			return
		}
		d.fail(n, path, "%s", cleanYAMLError(err))
		return
	}
	v.Set(tmp.Elem())
}

// structFields maps yaml key names to field index paths, following yaml.v3:
// tag name, else the lower-cased field name; "-" skipped; ",inline" structs
// flattened.
func structFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, inline, skip := yamlName(sf)
		if skip {
			continue
		}
		if inline && sf.Type.Kind() == reflect.Struct {
			for k, idx := range structFields(sf.Type) {
				if _, taken := out[k]; !taken {
					out[k] = append([]int{i}, idx...)
				}
			}
			continue
		}
		out[name] = []int{i}
	}
	return out
}

// yamlName returns a struct field's YAML key, whether it is inlined, and
// whether it is not part of the YAML at all.
func yamlName(sf reflect.StructField) (name string, inline, skip bool) {
	if !sf.IsExported() {
		return "", false, true
	}
	tag := sf.Tag.Get("yaml")
	if tag == "-" {
		return "", false, true
	}
	name, opts, _ := strings.Cut(tag, ",")
	for _, o := range strings.Split(opts, ",") {
		if o == "inline" {
			inline = true
		}
	}
	if name == "" {
		name = strings.ToLower(sf.Name)
	}
	return name, inline, false
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe names what a node holds, for "want X, got Y".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return strconv.Quote(n.Value)
		case "!!int":
			return "the integer " + n.Value
		case "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return strconv.Quote(n.Value)
	}
	return "a YAML node of kind " + strconv.Itoa(int(n.Kind))
}

// want names what a Go type accepts, in config words.
func want(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "a " + t.String()
}

// suggest lists the keys a mapping accepts, nearest first.
func suggest(key string, fields map[string][]int) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	best, bestD := "", 3
	for _, k := range names {
		if dist := editDistance(key, k); dist < bestD {
			best, bestD = k, dist
		}
	}
	hint := ""
	if best != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", best)
	}
	if len(names) == 0 {
		return hint
	}
	return hint + "; known keys: " + strings.Join(names, ", ")
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// cleanYAMLError strips yaml.v3's "yaml: unmarshal errors:\n  line N: " framing.
func cleanYAMLError(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, m := range te.Errors {
			msgs[i] = lineRE.ReplaceAllString(m, "")
		}
		return strings.Join(msgs, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

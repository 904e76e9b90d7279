package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config/spec"
)

// expandSecrets replaces ${VAR} in every spec.Secret field under v with the
// variable's value from lookup, and reports an unset variable, a malformed
// reference, and a ${VAR} in a plain string field (where it would silently
// stay literal) as field errors. "$$" in a secret is a literal "$"; any
// other "$" is kept as is.
func expandSecrets(v reflect.Value, path string, lookup func(string) (string, bool)) []*spec.FieldError {
	var out []*spec.FieldError
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = append(out, expandSecrets(v.Elem(), path, lookup)...)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			name, inline, skip := yamlName(sf)
			if skip {
				continue
			}
			p := joinPath(path, name)
			if inline {
				p = path
			}
			out = append(out, expandSecrets(v.Field(i), p, lookup)...)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = append(out, expandSecrets(v.Index(i), fmt.Sprintf("%s[%d]", path, i), lookup)...)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			p := joinPath(path, fmt.Sprint(iter.Key().Interface()))
			errs := expandSecrets(e, p, lookup)
			out = append(out, errs...)
			v.SetMapIndex(iter.Key(), e)
		}
	case reflect.String:
		if v.Type() == secretType {
			s, err := expand(v.String(), lookup)
			if err != nil {
				out = append(out, &spec.FieldError{Path: path, Msg: err.Error()})
				return out
			}
			if v.CanSet() {
				v.SetString(s)
			}
			return out
		}
		if i := strings.Index(v.String(), "${"); i >= 0 && strings.Contains(v.String()[i:], "}") {
			out = append(out, &spec.FieldError{Path: path, Msg: fmt.Sprintf(
				"%q: ${VAR} is expanded only in secret fields (passwords, tokens); write the value here", v.String())})
		}
	}
	return out
}

// expand replaces ${NAME} with lookup(NAME); NAME is letters, digits and _.
func expand(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", fmt.Errorf("unterminated ${ in secret (write $$ for a literal $)")
			}
			name := s[i+2 : i+2+end]
			if !validVarName(name) {
				return "", fmt.Errorf("bad variable name %s in ${...}", strconv.Quote(name))
			}
			val, ok := lookup(name)
			if !ok {
				return "", fmt.Errorf("environment variable %s is not set", name)
			}
			b.WriteString(val)
			i += 2 + end
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// locate turns a field error with an absolute key path into a Problem with
// the line of that key in the file; a key not in the file gets the line of
// its nearest ancestor that is, and no line when not even its section is.
func locate(file string, doc *yaml.Node, fe *spec.FieldError) Problem {
	p := Problem{File: file, Path: fe.Path, Msg: fe.Msg}
	if doc == nil || fe.Path == "" {
		return p
	}
	n := doc
	for _, seg := range splitPath(fe.Path) {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		next, line := child(n, seg)
		if next == nil {
			break
		}
		p.Line = line
		n = next
	}
	return p
}

// child returns n's child at seg (a key, or "[i]") and the line to report.
func child(n *yaml.Node, seg string) (*yaml.Node, int) {
	if strings.HasPrefix(seg, "[") {
		i, err := strconv.Atoi(strings.Trim(seg, "[]"))
		if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
			return nil, 0
		}
		return n.Content[i], n.Content[i].Line
	}
	if n.Kind != yaml.MappingNode {
		return nil, 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == seg {
			return n.Content[i+1], n.Content[i].Line
		}
	}
	return nil, 0
}

// splitPath splits "a.b[2].c" into "a", "b", "[2]", "c".
func splitPath(path string) []string {
	var out []string
	for _, part := range strings.Split(path, ".") {
		for part != "" {
			i := strings.IndexByte(part, '[')
			switch {
			case i < 0:
				out = append(out, part)
				part = ""
			case i > 0:
				out = append(out, part[:i])
				part = part[i:]
			default:
				j := strings.IndexByte(part, ']')
				if j < 0 {
					out = append(out, part)
					part = ""
					continue
				}
				out = append(out, part[:j+1])
				part = part[j+1:]
			}
		}
	}
	return out
}

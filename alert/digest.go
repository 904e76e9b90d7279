package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/twin"
)

// Keys of the digest bucket:
//
//	late.<agreement id>   twin.Observation JSON of a late discovery
//	event.<event id>      eventEntry JSON of a new event
//	source.<token>        sourceEntry JSON: when a source last yielded anything
//	run.<yyyymmddhhmm>    a digest run claimed by one replica
//	last                  RFC 3339 end of the last digest sent
type eventEntry struct {
	Category twin.Category `json:"category"`
	Source   string        `json:"source"`
}

type sourceEntry struct {
	Source string    `json:"source"`
	Last   time.Time `json:"last"`
}

// sourceWriteEvery limits how often one source's last-seen time is written.
const sourceWriteEvery = time.Minute

// noteSource records that source yielded an observation. Failures only log:
// source health is advisory.
func (a *Alerter) noteSource(ctx context.Context, source string, now time.Time) {
	a.srcMu.Lock()
	last, ok := a.srcSeen[source]
	if ok && now.Sub(last) < sourceWriteEvery {
		a.srcMu.Unlock()
		return
	}
	a.srcSeen[source] = now
	a.srcMu.Unlock()
	data, _ := json.Marshal(sourceEntry{Source: source, Last: now})
	if _, err := a.digest.Put(ctx, "source."+twin.SubjectToken(source), data); err != nil {
		a.log.Warn("source health not recorded", "source", source, "err", err)
	}
}

// noteEvent adds a new event to the next digest (once per event ID).
func (a *Alerter) noteEvent(ctx context.Context, o twin.Observation) error {
	if o.Origin == twin.OriginReference {
		return nil
	}
	data, _ := json.Marshal(eventEntry{Category: o.Category, Source: o.Source})
	if _, err := a.digest.Create(ctx, "event."+o.ID, data); err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
		return fmt.Errorf("alert: add event %s to the digest: %w", o.ID, err)
	}
	return nil
}

// SendDigest sends the digest for the period ending at until to every
// channel that takes digests: late discoveries, new events by category and
// sources that yielded nothing since the last digest. Only one call per
// minute of until does anything, across all replicas (an atomic create of
// run.<minute>). Reported items are removed from the digest bucket once the
// delivery jobs are published. It blocks until then.
func (a *Alerter) SendDigest(ctx context.Context, until time.Time) error {
	if err := a.open(ctx); err != nil {
		return err
	}
	until = until.UTC().Truncate(time.Minute)
	run := until.Format("200601021504")
	if _, err := a.digest.Create(ctx, "run."+run, []byte(until.Format(time.RFC3339))); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return nil
		}
		return fmt.Errorf("alert: claim digest %s: %w", run, err)
	}
	since := until.Add(-24 * time.Hour)
	if e, err := a.digest.Get(ctx, "last"); err == nil {
		if t, err := time.Parse(time.RFC3339, string(e.Value())); err == nil {
			since = t
		}
	}
	lister, err := a.digest.ListKeys(ctx)
	if err != nil {
		return fmt.Errorf("alert: list digest: %w", err)
	}
	var keys []string
	for k := range lister.Keys() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	dg := DigestData{Since: since, Until: until}
	counts := map[twin.Category]int{}
	lastSeen := map[string]time.Time{}
	for _, s := range a.sources {
		lastSeen[s] = time.Time{}
	}
	var done []string
	for _, k := range keys {
		prefix, _, _ := strings.Cut(k, ".")
		if prefix != "late" && prefix != "event" && prefix != "source" {
			continue
		}
		e, err := a.digest.Get(ctx, k)
		if err != nil {
			if errors.Is(err, jetstream.ErrKeyNotFound) {
				continue
			}
			return fmt.Errorf("alert: read digest %s: %w", k, err)
		}
		switch prefix {
		case "late":
			var o twin.Observation
			if json.Unmarshal(e.Value(), &o) == nil {
				dg.Late = append(dg.Late, o)
			}
			done = append(done, k)
		case "event":
			var ev eventEntry
			if json.Unmarshal(e.Value(), &ev) == nil {
				counts[ev.Category]++
			}
			done = append(done, k)
		case "source":
			var se sourceEntry
			if json.Unmarshal(e.Value(), &se) == nil {
				lastSeen[se.Source] = se.Last
			}
		}
	}
	for _, c := range twin.Categories {
		if counts[c] > 0 {
			dg.Categories = append(dg.Categories, CategoryCount{Category: string(c), Count: counts[c]})
		}
	}
	for s, t := range lastSeen {
		if !t.After(since) {
			dg.Silent = append(dg.Silent, s)
		}
	}
	slices.Sort(dg.Silent)
	empty := len(dg.Late) == 0 && len(dg.Categories) == 0 && len(dg.Silent) == 0
	if !empty || a.cfg.Digest.SendEmpty == "send" {
		j := job{V: 1, ID: "digest." + run, Kind: KindDigest, Digest: &dg, Created: a.clock().UTC()}
		if err := a.publishJobs(ctx, j, nil); err != nil {
			return err
		}
		a.log.Info("digest published", "late", len(dg.Late), "categories", len(dg.Categories), "silent", len(dg.Silent))
	}
	for _, k := range done {
		if err := a.digest.Delete(ctx, k); err != nil {
			a.log.Warn("digest entry not removed", "key", k, "err", err)
		}
	}
	if _, err := a.digest.Put(ctx, "last", []byte(until.Format(time.RFC3339))); err != nil {
		return fmt.Errorf("alert: save digest time: %w", err)
	}
	return nil
}

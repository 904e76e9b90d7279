package bus

import (
	"strings"

	"github.com/twinwatch/twinwatch/twin"
)

// Stream names. Every message of the pipeline lives in one of these.
const (
	// StreamPages holds fetched pages (twin.Page), subjects twinwatch.pages.<source>.
	StreamPages = "PAGES"
	// StreamObservations holds agreements and events (twin.Observation).
	StreamObservations = "OBSERVATIONS"
	// StreamAlerts holds alerts about new agreements.
	StreamAlerts = "ALERTS"
	// StreamDeadLetter holds messages that could not be processed, with the
	// reason in headers (see Bus.DeadLetter).
	StreamDeadLetter = "DEADLETTER"
)

// Subjects and subject prefixes.
const (
	// SubjectPages is the PAGES stream's wildcard subject.
	SubjectPages = "twinwatch.pages.>"
	// SubjectObservations is the OBSERVATIONS stream's wildcard subject.
	SubjectObservations = "twinwatch.observations.>"
	// SubjectAlerts is the ALERTS stream's wildcard subject.
	SubjectAlerts = "twinwatch.alerts.>"
	// SubjectDeadLetter is the DEADLETTER stream's wildcard subject.
	SubjectDeadLetter = "twinwatch.deadletter.>"

	// SubjectAgreement carries agreement observations.
	SubjectAgreement = "twinwatch.observations.agreement"
	// SubjectEvent carries event observations.
	SubjectEvent = "twinwatch.observations.event"
	// SubjectAlertAgreement carries alerts about new agreements.
	SubjectAlertAgreement = "twinwatch.alerts.agreement"

	prefixPages        = "twinwatch.pages."
	prefixObservations = "twinwatch.observations."
	prefixAlerts       = "twinwatch.alerts."
	prefixDeadLetter   = "twinwatch.deadletter."
)

// Headers the bus sets on dead-lettered messages.
const (
	HeaderReason    = "Twinwatch-Reason"    // the error that made the message undeliverable
	HeaderStream    = "Twinwatch-Stream"    // the stream it came from
	HeaderSubject   = "Twinwatch-Subject"   // its original subject
	HeaderConsumer  = "Twinwatch-Consumer"  // the durable consumer that gave up
	HeaderDelivered = "Twinwatch-Delivered" // deliveries it had
	HeaderMsgID     = "Twinwatch-Msg-Id"    // its original Nats-Msg-Id
)

// PageSubject returns the subject a page of the named source is published on:
// "twinwatch.pages." + twin.SubjectToken(source).
func PageSubject(source string) string { return prefixPages + twin.SubjectToken(source) }

// ObservationSubject returns the subject for observations of kind k:
// SubjectAgreement, SubjectEvent, or "twinwatch.observations.<token>" for any
// other kind (which a consumer filtering on the two known subjects ignores).
func ObservationSubject(k twin.Kind) string {
	switch k {
	case twin.KindAgreement:
		return SubjectAgreement
	case twin.KindEvent:
		return SubjectEvent
	}
	return prefixObservations + twin.SubjectToken(string(k))
}

// DeadLetterSubject returns the subject messages dead-lettered from stream
// are published on: "twinwatch.deadletter." + lower-case stream name.
func DeadLetterSubject(stream string) string {
	return prefixDeadLetter + twin.SubjectToken(strings.ToLower(stream))
}

// StreamOf returns the stream that captures subject, or "" if none of the
// bus's streams does.
func StreamOf(subject string) string {
	switch {
	case strings.HasPrefix(subject, prefixPages):
		return StreamPages
	case strings.HasPrefix(subject, prefixObservations):
		return StreamObservations
	case strings.HasPrefix(subject, prefixAlerts):
		return StreamAlerts
	case strings.HasPrefix(subject, prefixDeadLetter):
		return StreamDeadLetter
	}
	return ""
}

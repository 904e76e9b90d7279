package alert

// SetFault installs the crash seam: f is called at "decided" (after an
// agreement's state was created) and "sent" (after a destination accepted a
// message and its marker was written); a non-nil error makes the handler
// fail there, as a crash before the acknowledgement would.
func SetFault(a *Alerter, f func(point string) error) { a.fault = f }

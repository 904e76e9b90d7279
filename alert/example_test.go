package alert_test

import (
	"crypto/hmac"
	"fmt"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/twin"
)

// A webhook receiver recomputes the signature over the raw body with the
// shared secret and compares in constant time.
func ExampleSign() {
	body := []byte(`{"v":1,"kind":"alert"}`)
	header := "sha256=0bb1b6e5cf606d0c618cb4a2ef811e1ee15ccb61408694ca99bfcdbd0caf767c" // X-Twinwatch-Signature
	fmt.Println(hmac.Equal([]byte(header), []byte(alert.Sign([]byte("secret"), body))))
	// Output: true
}

// Dates are written as a reader of the channel's language expects, to the
// precision known.
func ExampleFormatDate() {
	fmt.Println(alert.FormatDate(twin.MustDate("1993-06-15"), "ru"))
	fmt.Println(alert.FormatDate(twin.MustDate("2011-02"), "en"))
	// Output:
	// 15 июня 1993 г.
	// February 2011
}
